#!/usr/bin/env bash
# watch.sh - "sf watch": progress, history, resume, next, continue and
# forget, in human and JSON form; late and repeated writes; completion and
# the resume boundaries; next up across seasons; Continue Watching and
# what a kids profile sees of it; and every bad input failing with one
# line, the right exit status, and the database exactly as it was.
. "$SF_TEST_TOP/tests/harness/lib.sh"
test_db
q="'"   # a single quote, for the bodies below

t() {   # t HH:MM:SS: a client time on 2026-01-01
	echo "2026-01-01T$1Z"
}

test_expect_success 'setup: an account with a kids profile, a movie, an R movie and a series' '
	echo Secret123 | sf user add --email ann@example.com --username ann --password-stdin >/dev/null &&
	echo Secret123 | sf user add --email bob@example.com --username bob --password-stdin >/dev/null &&
	sf profile add ann Kids --kids >/dev/null &&
	sf title add Up --runtime 100 --maturity PG --status published --external-id tt1049413 >/dev/null &&
	sf title add Heat --runtime 170 --maturity R --status published >/dev/null &&
	sf title add Dark --kind series --maturity TV-PG --status published >/dev/null &&
	dark=$(test_sql "SELECT id FROM titles WHERE title = ${q}Dark${q}") &&
	sf title season add "$dark" 1 >/dev/null &&
	sf title season add "$dark" 2 >/dev/null &&
	sf title episode add "$dark" 1 1 --name Secrets --runtime 50 >/dev/null &&
	sf title episode add "$dark" 1 2 --name Lies --runtime 50 >/dev/null &&
	sf title episode add "$dark" 2 1 --name Beginnings --runtime 50 >/dev/null &&
	test "$(test_sql "SELECT count(*) FROM episodes")" = 3
'

up=$(test_sql "SELECT id FROM titles WHERE title = 'Up'")
heat=$(test_sql "SELECT id FROM titles WHERE title = 'Heat'")
dark=$(test_sql "SELECT id FROM titles WHERE title = 'Dark'")

test_expect_success 'watch progress records a position and prints the progress' '
	sf watch progress ann/ann "$up" --position 600 --at "$(t 10:00:00)" >out &&
	grep -q "^TITLE: *Up$" out &&
	grep -q "^EPISODE: *-$" out &&
	grep -q "^POSITION: *600$" out &&
	grep -q "^DURATION: *6000$" out &&
	grep -q "^COMPLETED: *no$" out &&
	grep -q "^UPDATED: *2026-01-01T10:00:00Z$" out &&
	grep -q "^APPLIED: *yes$" out &&
	test "$(test_sql "SELECT position_s FROM watch_progress WHERE title_id = $up")" = 600 &&
	test "$(test_sql "SELECT kind FROM watch_events WHERE title_id = $up")" = progress
'

test_expect_success 'watch progress --json, by external id, with an event and a duration' '
	sf watch progress ann/ann tt1049413 --position 700 --duration 6100 --event pause \
		--at "$(t 10:01:00)" --json >out &&
	test "$(test_json out "d[\"position\"], d[\"duration\"], d[\"applied\"], d[\"duplicate\"], d[\"finished\"]")" = \
		"(700, 6100, True, False, False)" &&
	test "$(test_json out "\",\".join(d)")" = \
		title_id,title,kind,episode,position,duration,credits,completed,completed_at,updated_at,applied,duplicate,finished &&
	test "$(test_sql "SELECT string_agg(kind, ${q},${q} ORDER BY at) FROM watch_events WHERE title_id = $up")" = progress,pause
'

test_expect_success 'a late write never moves the position back; the same write twice is kept once' '
	sf watch progress ann/ann "$up" --position 100 --at "$(t 09:00:00)" --json >out &&
	test "$(test_json out "d[\"applied\"], d[\"position\"]")" = "(False, 700)" &&
	sf watch progress ann/ann "$up" --position 100 --at "$(t 09:00:00)" --json >out &&
	test "$(test_json out "d[\"duplicate\"], d[\"position\"]")" = "(True, 700)" &&
	test "$(test_sql "SELECT count(*) FROM watch_events WHERE title_id = $up")" = 3 &&
	test "$(test_sql "SELECT position_s FROM watch_progress WHERE title_id = $up")" = 700
'

test_expect_success 'writes sent at once in any order keep the newest position' '
	for i in 9 3 7 1 5 8 2 6 4; do
		sf watch progress bob/bob "$up" --position $((1000 - i * 10)) --at "$(t 11:00:0$i)" \
			>/dev/null &
	done &&
	wait &&
	test "$(test_sql "SELECT position_s FROM watch_progress p JOIN profiles f ON f.id = p.profile_id
			  WHERE f.name = ${q}bob${q}")" = 910 &&
	test "$(test_sql "SELECT count(*) FROM watch_events e JOIN profiles f ON f.id = e.profile_id
			  WHERE f.name = ${q}bob${q}")" = 9
'

test_expect_success 'watch resume offers the position past 5 s and before 95%' '
	sf watch resume ann/ann "$up" >out &&
	grep -q "^START: *700$" out &&
	grep -q "^RESUME: *yes$" out &&
	for case in 5:0:False 5794:5794:True 5795:0:False 6100:0:False 6:6:True; do
		pos=${case%%:*} rest=${case#*:} &&
		sf watch progress ann/ann "$up" --position $pos --duration 6100 >/dev/null &&
		sf watch resume ann/ann "$up" --json >out &&
		test "$(test_json out "d[\"start\"], d[\"resume\"]")" = "(${rest%%:*}, ${rest#*:})" ||
		{ echo "at $pos: $(cat out)"; exit 1; }
	done
'

test_expect_success 'completion at 95% and at a credits mark' '
	sf watch progress bob/bob "$heat" --position 9690 --duration 10200 --json >out &&
	test "$(test_json out "d[\"completed\"]")" = True &&
	sf watch progress bob/bob "$heat" --position 100 --json >out &&
	test "$(test_json out "d[\"completed\"]")" = False &&
	sf watch progress bob/bob "$heat" --position 9000 --credits 9000 --json >out &&
	test "$(test_json out "d[\"completed\"], d[\"credits\"]")" = "(True, 9000)" &&
	sf watch progress bob/bob "$heat" --event complete --json >out &&
	test "$(test_json out "d[\"completed\"], d[\"position\"]")" = "(True, 10200)"
'

test_expect_success 'watch next goes across seasons and says when a series is finished' '
	sf watch next ann/ann "$dark" >out &&
	grep -q "^SEASON: *1$" out && grep -q "^EPISODE: *1$" out && grep -q "^NAME: *Secrets$" out &&
	sf watch progress ann/ann "$dark" --season 1 --episode 2 --position 2900 >out &&
	grep -q "^EPISODE: *S01E02 Lies$" out &&
	grep -q "^COMPLETED: *yes$" out &&
	sf watch next ann/ann "$dark" --json >out &&
	test "$(test_json out "d[\"episode\"][\"season\"], d[\"episode\"][\"number\"], d[\"episode\"][\"name\"], d[\"finished\"]")" = \
		"(2, 1, ${q}Beginnings${q}, False)" &&
	sf watch progress ann/ann "$dark" --season 2 --episode 1 --event complete --json >out &&
	test "$(test_json out "d[\"finished\"]")" = True &&
	sf watch next ann/ann "$dark" >out &&
	test "$(cat out)" = "no next episode: ${q}Dark${q} is finished" &&
	sf watch next ann/ann "$dark" --json >out &&
	test "$(test_json out "d[\"episode\"], d[\"finished\"]")" = "(None, True)"
'

test_expect_success 'watch resume of a series: its current episode, or the first when finished' '
	sf watch resume ann/ann "$dark" --json >out &&
	test "$(test_json out "d[\"episode\"][\"season\"], d[\"episode\"][\"number\"], d[\"start\"], d[\"finished\"]")" = \
		"(1, 1, 0, True)" &&
	sf watch progress ann/ann "$dark" --season 1 --episode 1 --position 1200 >/dev/null &&
	sf watch resume ann/ann "$dark" >out &&
	grep -q "^EPISODE: *S01E01 Secrets$" out && grep -q "^START: *1200$" out &&
	sf watch resume ann/ann "$dark" --season 2 --episode 1 --json >out &&
	test "$(test_json out "d[\"start\"], d[\"completed\"]")" = "(0, True)"
'

test_expect_success 'watch continue lists each title once, latest first' '
	sf watch continue ann/ann >out &&
	head -1 out | grep -q "^TITLE  *EPISODE  *STATE  *START  *DURATION  *LAST$" &&
	test $(wc -l <out) = 3 &&
	sed -n 2p out | grep -q "^Dark  *S01E01 Secrets  *resume  *1200  *3000 " &&
	sed -n 3p out | grep -q "^Up  *-  *resume  *6  *6100 " &&
	sf watch continue ann/ann --json --limit 1 >out &&
	test "$(test_json out "[(i[\"title\"], i[\"state\"]) for i in d]")" = "[(${q}Dark${q}, ${q}resume${q})]"
'

test_expect_success 'watch continue shows a series next up after a completed episode' '
	sf watch forget bob/bob "$dark" >/dev/null &&
	sf watch progress bob/bob "$dark" --season 1 --episode 1 --position 3000 >/dev/null &&
	sf watch continue bob/bob --json >out &&
	test "$(test_json out "[(i[\"title\"], i[\"state\"], i[\"episode\"] and i[\"episode\"][\"name\"]) for i in d]")" = \
		"[(${q}Dark${q}, ${q}next${q}, ${q}Lies${q}), (${q}Up${q}, ${q}resume${q}, None)]"
'

test_expect_success 'a kids profile never sees an R title; a title out of its window leaves' '
	sf profile set bob/bob --kids >/dev/null &&
	sf watch progress bob/bob "$up" --position 60 >/dev/null &&
	sf watch continue bob/bob --json >out &&
	test "$(test_json out "sorted(i[\"title\"] for i in d)")" = "[${q}Dark${q}, ${q}Up${q}]" &&
	test_sql "UPDATE profiles SET kids = false, maturity = 6 WHERE name = ${q}bob${q}" &&
	sf watch progress bob/bob "$heat" --position 60 >/dev/null &&
	sf watch continue bob/bob --json >out &&
	test "$(test_json out "sorted(i[\"title\"] for i in d)")" = "[${q}Dark${q}, ${q}Heat${q}, ${q}Up${q}]" &&
	test_sql "UPDATE profiles SET kids = true, maturity = 3 WHERE name = ${q}bob${q}" &&
	sf watch continue bob/bob >out &&
	! grep -q Heat out &&
	sf watch history bob/bob >out &&
	! grep -q Heat out &&
	test_sql "UPDATE titles SET regions = ${q}{US}${q} WHERE id = $up" &&
	sf watch continue bob/bob --region fr --json >out &&
	test "$(test_json out "[i[\"title\"] for i in d]")" = "[${q}Dark${q}]" &&
	sf watch continue bob/bob --region US --json >out &&
	test "$(test_json out "len(d)")" = 2 &&
	test_sql "UPDATE titles SET available_until = now() - interval ${q}1 hour${q},
		  available_from = now() - interval ${q}1 day${q} WHERE id = $up" &&
	sf watch continue bob/bob --json >out &&
	test "$(test_json out "[i[\"title\"] for i in d]")" = "[${q}Dark${q}]" &&
	test_sql "UPDATE titles SET available_until = NULL, available_from = NULL, regions = ${q}{}${q}
		  WHERE id = $up"
'

test_expect_success 'watch history lists events newest first, of one title or all' '
	sf watch history ann/ann >out &&
	head -1 out | grep -q "^AT  *EVENT  *TITLE  *EPISODE  *POSITION  *DURATION$" &&
	sed -n 2p out | grep -q "  progress  *Dark  *S01E01 Secrets  *1200  *3000$" &&
	sf watch history ann/ann "$up" --json --limit 2 >out &&
	test "$(test_json out "len(d), set(e[\"title\"] for e in d)")" = "(2, {${q}Up${q}})" &&
	test "$(test_json out "\",\".join(d[0])")" = id,at,event,title_id,title,kind,episode,position,duration &&
	sf watch history ann/kids >out &&
	test "$(cat out)" = "no history"
'

test_expect_success 'watch forget removes a title'"'"'s history and progress, and only those' '
	n=$(test_sql "SELECT count(*) FROM watch_events e JOIN profiles f ON f.id = e.profile_id
		      WHERE f.name = ${q}ann${q} AND e.title_id = $dark") &&
	sf watch forget ann/ann "$dark" >out &&
	test "$(cat out)" = "forgot $n events and 3 progress records of title ${q}$dark${q} for profile ${q}ann/ann${q}" &&
	test "$(test_sql "SELECT count(*) FROM watch_events e JOIN profiles f ON f.id = e.profile_id
			  WHERE f.name = ${q}ann${q} AND e.title_id = $dark")" = 0 &&
	test "$(test_sql "SELECT count(*) FROM watch_progress w JOIN profiles f ON f.id = w.profile_id
			  WHERE f.name = ${q}ann${q} AND w.title_id = $dark")" = 0 &&
	test "$(test_sql "SELECT count(*) FROM watch_progress WHERE title_id = $dark")" = 1 &&
	sf watch continue ann/ann --json >out &&
	test "$(test_json out "[i[\"title\"] for i in d]")" = "[${q}Up${q}]" &&
	sf watch forget ann/ann "$dark" --json >out &&
	test "$(test_json out "d[\"events\"], d[\"progress\"]")" = "(0, 0)"
'

test_expect_success 'bad input: unknown profile, title or episode (3)' '
	test_expect_fail 3 "profile ${q}ann/nobody${q}: not found" sf watch progress ann/nobody "$up" --position 1 &&
	test_expect_fail 3 "title ${q}999999${q}: not found" sf watch progress ann/ann 999999 --position 1 &&
	test_expect_fail 3 "title ${q}tt0000000${q}: not found" sf watch resume ann/ann tt0000000 &&
	test_expect_fail 3 "episode 9 of season 1 of title ${q}$dark${q}: not found" \
		sf watch progress ann/ann "$dark" --season 1 --episode 9 --position 1 &&
	test_expect_fail 3 "episode 1 of season 7" sf watch resume ann/ann "$dark" --season 7 --episode 1 &&
	test_expect_fail 3 "profile ${q}ann/nobody${q}: not found" sf watch history ann/nobody &&
	test_expect_fail 3 "profile ${q}ann/nobody${q}: not found" sf watch continue ann/nobody &&
	test_expect_fail 3 "profile ${q}ann/nobody${q}: not found" sf watch next ann/nobody "$dark" &&
	test_expect_fail 3 "profile ${q}ann/nobody${q}: not found" sf watch forget ann/nobody "$dark" &&
	test_expect_fail 3 "title ${q}999999${q}: not found" sf watch forget ann/ann 999999 &&
	test_expect_fail 3 "title ${q}999999${q}: not found" sf watch history ann/ann 999999
'

test_expect_success 'bad input: positions, durations and credits (2)' '
	test_expect_fail 2 "position ${q}-1${q}: below 0" sf watch progress ann/ann "$up" --position -1 &&
	test_expect_fail 2 "position ${q}6101${q}: beyond the duration of 6100 seconds" \
		sf watch progress ann/ann "$up" --position 6101 &&
	test_expect_fail 2 "position ${q}6001${q}: beyond the duration of 6000 seconds" \
		sf watch progress bob/bob "$up" --position 6001 &&
	test_expect_fail 2 "position ${q}61${q}: beyond the duration of 60 seconds" \
		sf watch progress ann/ann "$up" --position 61 --duration 60 &&
	test_expect_fail 2 "position ${q}1.5${q}: not a whole number of seconds" \
		sf watch progress ann/ann "$up" --position 1.5 &&
	test_expect_fail 2 "position ${q}ten${q}: not a whole number" sf watch progress ann/ann "$up" --position ten &&
	test_expect_fail 2 "position: missing" sf watch progress ann/ann "$up" &&
	test_expect_fail 2 "duration ${q}0${q}: must be more than 0" sf watch progress ann/ann "$up" --position 0 --duration 0 &&
	test_expect_fail 2 "duration ${q}-5${q}: below 0" sf watch progress ann/ann "$up" --position 0 --duration -5 &&
	test_expect_fail 2 "credits ${q}7000${q}: beyond the duration" sf watch progress ann/ann "$up" --position 1 --credits 7000
'

test_expect_success 'bad input: event kinds, times, episodes and regions (2)' '
	test_expect_fail 2 "--event ${q}rewind${q}: not one of start, progress, pause, seek, stop, complete" \
		sf watch progress ann/ann "$up" --position 1 --event rewind &&
	test_expect_fail 2 "at ${q}noon${q}: not a time" sf watch progress ann/ann "$up" --position 1 --at noon &&
	test_expect_fail 2 "at ${q}2026-02-30T00:00:00Z${q}: not a valid date or time" \
		sf watch progress ann/ann "$up" --position 1 --at 2026-02-30T00:00:00Z &&
	test_expect_fail 2 "more than 5 minutes in the future" \
		sf watch progress ann/ann "$up" --position 1 --at 2999-01-01T00:00:00Z &&
	test_expect_fail 2 "title ${q}$dark${q} is a series: name an episode" \
		sf watch progress ann/ann "$dark" --position 1 &&
	test_expect_fail 2 "give both the season and the episode number" \
		sf watch progress ann/ann "$dark" --season 1 --position 1 &&
	test_expect_fail 2 "title ${q}$up${q} is a movie" sf watch progress ann/ann "$up" --season 1 --episode 1 --position 1 &&
	test_expect_fail 2 "season ${q}x${q}: not a whole number" sf watch resume ann/ann "$dark" --season x --episode 1 &&
	test_expect_fail 2 "title ${q}$up${q} is a movie: only a series has a next episode" sf watch next ann/ann "$up" &&
	test_expect_fail 2 "region ${q}France${q}: not a two-letter country code" sf watch continue ann/ann --region France &&
	test_expect_fail 2 "limit ${q}0${q}: not a whole number from 1 to 1000" sf watch continue ann/ann --limit 0 &&
	test_expect_fail 2 "limit ${q}x${q}" sf watch history ann/ann --limit x &&
	test_expect_fail 2 "profile ${q}ann${q}: give an id or ACCOUNT/NAME" sf watch continue ann &&
	test_expect_fail 2 "watch progress: missing <profile> <title>" sf watch progress ann/ann &&
	test_expect_fail 2 "unexpected argument ${q}x${q}" sf watch continue ann/ann x
'

test_expect_success 'a title above the profile'"'"'s limit or not available is not found for it (3)' '
	test_expect_fail 3 "title ${q}$heat${q}: not found for profile ${q}ann/kids${q} (rated R, above its limit PG)" \
		sf watch progress ann/kids "$heat" --position 1 &&
	test_expect_fail 3 "rated R" sf watch resume ann/kids "$heat" &&
	sf title add Draft --runtime 90 --maturity G >/dev/null &&
	draft=$(test_sql "SELECT id FROM titles WHERE title = ${q}Draft${q}") &&
	test_expect_fail 3 "title ${q}$draft${q}: not available" sf watch progress ann/kids "$draft" --position 1 &&
	test_expect_fail 3 "not available" sf watch resume ann/kids "$draft"
'

test_expect_success '--as: an account acts for its own profiles only' '
	sf watch progress ann/kids "$up" --position 60 --as ann >/dev/null &&
	sf watch continue ann/kids --as ann@example.com >/dev/null &&
	test_expect_fail 77 "account ${q}bob@example.com${q} (viewer) may not manage accounts" \
		sf watch continue ann/kids --as bob &&
	test_expect_fail 77 "may not manage accounts" sf watch progress ann/kids "$up" --position 70 --as bob &&
	test_expect_fail 77 "may not manage accounts" sf watch forget ann/kids "$up" --as bob &&
	draft=$(test_sql "SELECT id FROM titles WHERE title = ${q}Draft${q}") &&
	test_expect_fail 3 "title ${q}$draft${q}: not found" sf watch resume ann/kids "$draft" --as ann
'

test_expect_success 'deleting a title removes its progress and history; a deleted account takes no writes; purging removes all' '
	sf watch progress ann/ann "$heat" --position 60 >/dev/null &&
	sf title delete "$heat" --yes >/dev/null &&
	test "$(test_sql "SELECT count(*) FROM watch_progress WHERE title_id = $heat")" = 0 &&
	test "$(test_sql "SELECT count(*) FROM watch_events WHERE title_id = $heat")" = 0 &&
	test "$(test_sql "SELECT count(*) FROM watch_events e JOIN profiles f ON f.id = e.profile_id
			  JOIN accounts a ON a.id = f.account_id WHERE a.username = ${q}ann${q}")" -gt 0 &&
	ids=$(test_sql "SELECT string_agg(f.id::text, ${q},${q}) FROM profiles f JOIN accounts a ON a.id = f.account_id
			WHERE a.username = ${q}ann${q}") &&
	sf user delete ann >/dev/null &&
	test_expect_fail 4 "profile ${q}ann/ann${q}: its account is deleted; restore it first" \
		sf watch progress ann/ann "$up" --position 1 &&
	sf user purge ann --yes >/dev/null &&
	test "$(test_sql "SELECT count(*) FROM watch_events WHERE profile_id IN ($ids)")" = 0 &&
	test "$(test_sql "SELECT count(*) FROM watch_progress WHERE profile_id IN ($ids)")" = 0 &&
	test "$(test_sql "SELECT count(*) FROM watch_progress")" -gt 0
'

test_done
