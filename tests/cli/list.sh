#!/usr/bin/env bash
# list.sh - "sf list": show, add, remove, move, reorder and clear a
# profile's list, in human and JSON form; what a kids profile and a
# region see; the watched section and "sf profile set --on-finish"; who may
# touch whose list; and every bad input refused with one line, the right
# exit status and the database exactly as it was.
. "$SF_TEST_TOP/tests/harness/lib.sh"
test_db
q="'"   # a single quote, for the bodies below

# order PROFILE: the title ids of the list, in order, on one line.
order() {
	sf list show "$1" --json >.order.json &&
	test_json .order.json '" ".join(str(i["title_id"]) for i in d["items"])'
}

test_expect_success 'setup: two accounts, a kids profile, five titles' '
	echo Secret123 | sf user add --email ada@example.com --username ada --password-stdin >/dev/null &&
	echo Secret123 | sf user add --email bob@example.com --username bob --password-stdin >/dev/null &&
	sf profile add ada Kids --kids >/dev/null &&
	test_sql "INSERT INTO titles (kind, title, year, maturity, status, external_id, regions)
		VALUES (${q}movie${q}, ${q}The Godfather${q}, 1972, 5, ${q}published${q}, ${q}tt0068646${q}, ${q}{}${q}),
		       (${q}movie${q}, ${q}Amélie${q}, 2001, 3, ${q}published${q}, NULL, ${q}{}${q}),
		       (${q}series${q}, ${q}Bluey${q}, 2018, 1, ${q}published${q}, NULL, ${q}{}${q}),
		       (${q}movie${q}, ${q}Draft${q}, 2020, 1, ${q}draft${q}, NULL, ${q}{}${q}),
		       (${q}movie${q}, ${q}Le Fabuleux${q}, 2001, 1, ${q}published${q}, NULL, ${q}{FR}${q})" &&
	test "$(test_sql "SELECT string_agg(id::text, ${q} ${q} ORDER BY id) FROM titles")" = "1 2 3 4 5"
'

test_expect_success 'list add prints the new item at the top' '
	sf list add ada/ada tt0068646 >out &&
	grep -q "^#: *1$" out &&
	grep -q "^ID: *1$" out &&
	grep -q "^TITLE: *The Godfather$" out &&
	grep -q "^MATURITY: *R$" out
'

test_expect_success 'list add --json prints the item'"'"'s JSON form' '
	sf list add ada/ada 2 --json >out &&
	test "$(test_json out "\",\".join(sorted(d))")" = \
		added_at,kind,maturity,position,title,title_id,watched_at,year &&
	test "$(test_json out "d[\"position\"], d[\"title\"], d[\"watched_at\"]")" = \
		"(1, ${q}Amélie${q}, None)" &&
	sf list add ADA@example.com/ADA 3 >/dev/null
'

test_expect_success 'list show prints the list, the latest added first' '
	sf list show ada/ada >out &&
	head -n 1 out | grep -q "^#  *ID  *TITLE  *KIND  *YEAR  *MATURITY  *ADDED$" &&
	sed -n 2p out | grep -q "^1  *3  *Bluey  *series  *2018  *G  " &&
	sed -n 3p out | grep -q "^2  *2  *Amélie  *movie  *2001  *PG  " &&
	sed -n 4p out | grep -q "^3  *1  *The Godfather  *movie  *1972  *R  " &&
	test $(wc -l <out) = 4 &&
	sf list show ada/ada --json >out &&
	test "$(test_json out "d[\"profile\"], [i[\"title_id\"] for i in d[\"items\"]], d[\"watched\"]")" = \
		"(${q}ada${q}, [3, 2, 1], [])" &&
	test "$(test_json out "\",\".join(d)")" = profile_id,profile,items,watched
'

test_expect_success 'list show --filter finds titles in any case, without accents' '
	sf list show ada/ada --filter AMELIE >out &&
	test $(wc -l <out) = 2 &&
	grep -q "^2  *2  *Amélie " out &&
	sf list show ada/ada --filter zzz --json >out &&
	test "$(test_json out "d[\"items\"]")" = "[]"
'

test_expect_success 'adding a title already in the list is a conflict (4)' '
	test_expect_fail 4 "title ${q}tt0068646${q} is already in your list" sf list add ada/ada tt0068646 &&
	test_expect_fail 4 "title ${q}ext:tt0068646${q} is already in your list" sf list add ada/ada ext:tt0068646 &&
	test_expect_fail 4 "already in your list" sf list add ada/ada 1 --json
'

test_expect_success 'unknown, unseen and badly named titles and profiles are refused' '
	test_expect_fail 3 "title ${q}999${q}: not found" sf list add ada/ada 999 &&
	test_expect_fail 3 "title ${q}tt404${q}: not found" sf list add ada/ada tt404 &&
	test_expect_fail 3 "title ${q}4${q}: not found" sf list add ada/ada 4 &&
	test_expect_fail 3 "title ${q}1${q}: not found" sf list add ada/kids 1 &&
	test_expect_fail 3 "profile ${q}ada/ghost${q}: not found" sf list add ada/ghost 3 &&
	test_expect_fail 3 "profile ${q}ada/ghost${q}: not found" sf list show ada/ghost &&
	test_expect_fail 2 "profile ${q}ada${q}: give an id or ACCOUNT/NAME" sf list show ada &&
	test_expect_fail 2 "title: empty name" sf list add ada/ada "" &&
	test_expect_fail 2 "list add: missing <profile> <title>" sf list add ada/ada &&
	test_expect_fail 2 "list add: unexpected argument ${q}2${q}" sf list add ada/ada 1 2
'

test_expect_success 'a kids profile never sees an R title, even one in its list' '
	sf list add ada/kids 3 >/dev/null &&
	test_sql "INSERT INTO list_items (profile_id, title_id, rank)
		SELECT id, 1, -5 FROM profiles WHERE name = ${q}Kids${q}" &&
	test "$(order ada/kids)" = 3 &&
	sf list show ada/kids >out &&
	! grep -q Godfather out &&
	test_expect_fail 3 "title ${q}1${q}: not found" sf list remove ada/kids 1 &&
	test_sql "DELETE FROM list_items WHERE title_id = 1 AND profile_id =
		(SELECT id FROM profiles WHERE name = ${q}Kids${q})"
'

test_expect_success 'list show --region leaves out titles not available there' '
	sf list add ada/kids 5 >/dev/null &&
	test "$(order ada/kids)" = "5 3" &&
	sf list show ada/kids --region us --json >out &&
	test "$(test_json out "[i[\"title_id\"] for i in d[\"items\"]]")" = "[3]" &&
	sf list show ada/kids --region FR --json >out &&
	test "$(test_json out "[i[\"title_id\"] for i in d[\"items\"]]")" = "[5, 3]" &&
	test_expect_fail 2 "--region ${q}France${q}: not a two-letter country code" \
		sf list show ada/kids --region France &&
	test_expect_fail 2 "filter ${q}${q}: must not be empty" sf list show ada/kids --filter ""
'

test_expect_success 'a title out of its window is not shown' '
	test_sql "UPDATE titles SET available_from = now() - interval ${q}2 days${q},
		available_until = now() - interval ${q}1 day${q} WHERE id = 2" &&
	test "$(order ada/ada)" = "3 1" &&
	test_expect_fail 3 "title ${q}2${q}: not found" sf list move ada/ada 2 --to 1 &&
	test_sql "UPDATE titles SET available_from = NULL, available_until = NULL WHERE id = 2" &&
	test "$(order ada/ada)" = "3 2 1"
'

test_expect_success 'list move puts a title at a position and prints the list' '
	sf list move ada/ada tt0068646 --to 1 >out &&
	sed -n 2p out | grep -q "^1  *1  *The Godfather " &&
	test "$(order ada/ada)" = "1 3 2" &&
	sf list move ada/ada 1 --to 3 --json >out &&
	test "$(test_json out "[i[\"title_id\"] for i in d[\"items\"]]")" = "[3, 2, 1]" &&
	sf list move ada/ada 2 --to 1 >/dev/null &&
	test "$(order ada/ada)" = "2 3 1"
'

test_expect_success 'a bad move is refused and changes nothing' '
	test_expect_fail 2 "position ${q}4${q}: your list has 3 titles" sf list move ada/ada 1 --to 4 &&
	test_expect_fail 2 "--to ${q}0${q}: not a whole number" sf list move ada/ada 1 --to 0 &&
	test_expect_fail 2 "--to ${q}top${q}: not a whole number" sf list move ada/ada 1 --to top &&
	test_expect_fail 2 "list move: missing --to" sf list move ada/ada 1 &&
	test_expect_fail 3 "title ${q}5${q} is not in your list" sf list move ada/ada 5 --to 1 &&
	test_expect_fail 3 "title ${q}999${q}: not found" sf list move ada/ada 999 --to 1
'

test_expect_success 'list reorder takes exactly the titles of the list' '
	sf list reorder ada/ada 1 2 3 >out &&
	sed -n 2p out | grep -q "^1  *1  *The Godfather " &&
	test "$(order ada/ada)" = "1 2 3" &&
	sf list reorder ada/ada 3 tt0068646 2 --json >out &&
	test "$(test_json out "[i[\"title_id\"] for i in d[\"items\"]]")" = "[3, 1, 2]"
'

test_expect_success 'a reorder that is not a permutation is refused and changes nothing' '
	test_expect_fail 2 "title ${q}2${q} of your list is missing from the order" sf list reorder ada/ada 3 1 &&
	test_expect_fail 2 "title ${q}5${q} is not in your list" sf list reorder ada/ada 3 1 2 5 &&
	test_expect_fail 2 "title ${q}1${q} is given twice" sf list reorder ada/ada 3 1 2 1 &&
	test_expect_fail 2 "title ${q}tt0068646${q} is given twice" sf list reorder ada/ada 1 tt0068646 2 &&
	test_expect_fail 3 "title ${q}999${q}: not found" sf list reorder ada/ada 3 1 2 999 &&
	test_expect_fail 3 "title ${q}4${q}: not found" sf list reorder ada/ada 3 1 2 4 &&
	test_expect_fail 2 "list reorder: missing <profile> <title>..." sf list reorder ada/ada &&
	test "$(order ada/ada)" = "3 1 2"
'

test_expect_success 'list remove takes a title out and says so' '
	sf list remove ada/ada 3 >out &&
	test "$(cat out)" = "removed ${q}Bluey${q} (id 3) from the list" &&
	test "$(order ada/ada)" = "1 2" &&
	sf list add ada/ada 3 >/dev/null &&
	sf list remove ada/ada 3 --json >out &&
	test "$(test_json out "d[\"title\"]")" = Bluey &&
	test_expect_fail 3 "title ${q}3${q} is not in your list" sf list remove ada/ada 3 &&
	test_expect_fail 3 "title ${q}999${q}: not found" sf list remove ada/ada 999
'

test_expect_success 'profile set --on-finish chooses what finishing a title does' '
	sf profile show ada/ada >out &&
	grep -q "^ON FINISH: *keep$" out &&
	test "$(sf profile show ada/ada --json | python3 -c "import json,sys; print(json.load(sys.stdin)[\"list_on_finish\"])")" = keep &&
	id=$(test_sql "SELECT id FROM profiles WHERE name = ${q}ada${q}") &&
	test_sql "SELECT sf_list_title_finished($id, 2)" >/dev/null &&
	test "$(order ada/ada)" = "1 2" &&
	sf profile set ada/ada --on-finish remove >out &&
	grep -q "^ON FINISH: *remove$" out &&
	test_sql "SELECT sf_list_title_finished($id, 2)" >/dev/null &&
	test "$(order ada/ada)" = 1 &&
	test "$(test_sql "SELECT count(*) FROM audit_log WHERE action = ${q}profile.set${q}
			  AND new->>${q}list_on_finish${q} = ${q}remove${q}")" = 1 &&
	test_expect_fail 2 "--on-finish ${q}never${q}: not one of keep, remove, watched" \
		sf profile set ada/ada --on-finish never
'

test_expect_success 'with --on-finish watched a finished title moves to the watched section' '
	id=$(test_sql "SELECT id FROM profiles WHERE name = ${q}ada${q}") &&
	sf profile set ada/ada --on-finish WATCHED --json >out &&
	test "$(test_json out "d[\"list_on_finish\"]")" = watched &&
	sf list add ada/ada 2 >/dev/null &&
	sf list add ada/ada 3 >/dev/null &&
	test_sql "SELECT sf_list_title_finished($id, 2)" >/dev/null &&
	sf list show ada/ada >out &&
	sed -n 2,3p out | awk "{ print \$2 }" | tr "\n" " " | grep -qx "3 1 " &&
	grep -qx "watched:" out &&
	grep -q "^ID  *TITLE  *KIND  *YEAR  *MATURITY  *WATCHED$" out &&
	grep -q "^2  *Amélie  *movie  *2001  *PG  *20" out &&
	sf list show ada/ada --json >out &&
	test "$(test_json out "[(i[\"title_id\"], i[\"position\"]) for i in d[\"watched\"]]")" = "[(2, None)]" &&
	test_expect_fail 4 "title ${q}2${q} is in your watched section" sf list move ada/ada 2 --to 1 &&
	test_expect_fail 2 "title ${q}2${q} is in your watched section" sf list reorder ada/ada 3 2 1 &&
	sf list add ada/ada 2 >/dev/null &&
	test "$(order ada/ada)" = "2 3 1" &&
	sf list show ada/ada --json >out &&
	test "$(test_json out "d[\"watched\"]")" = "[]"
'

test_expect_success 'list clear asks first, and --yes clears the list and the watched section' '
	id=$(test_sql "SELECT id FROM profiles WHERE name = ${q}ada${q}") &&
	test_sql "SELECT sf_list_title_finished($id, 3)" >/dev/null &&
	test_expect_fail 2 "refusing to clear a list without --yes" sf list clear ada/ada </dev/null &&
	sf list clear ada/ada --yes >out &&
	test "$(cat out)" = "removed 3 titles from the list" &&
	test "$(test_sql "SELECT count(*) FROM list_items WHERE profile_id = $id")" = 0 &&
	sf list clear ada/ada --yes --json >out &&
	test "$(test_json out "d[\"removed\"]")" = 0 &&
	test "$(order ada/kids)" = "5 3"
'

test_expect_success '--as an account may keep its own profiles'"'"' lists only' '
	sf list add ada/ada 3 --as ada >/dev/null &&
	sf list show ada/ada --as ada@example.com >out &&
	grep -q Bluey out &&
	test_expect_fail 77 "account ${q}bob@example.com${q} (viewer) may not manage accounts" \
		sf list show ada/ada --as bob &&
	test_expect_fail 77 "may not manage accounts" sf list add ada/ada 1 --as bob &&
	test_expect_fail 77 "may not manage accounts" sf list remove ada/ada 3 --as bob &&
	test_expect_fail 77 "may not manage accounts" sf list move ada/ada 3 --to 1 --as bob &&
	test_expect_fail 77 "may not manage accounts" sf list reorder ada/ada 3 --as bob &&
	test_expect_fail 77 "may not manage accounts" sf list clear ada/ada --yes --as bob &&
	test "$(test_sql "SELECT count(*) FROM audit_log WHERE action LIKE ${q}list%${q}")" = 0
'

test_expect_success 'a deleted account'"'"'s list cannot change (4)' '
	sf list add bob/bob 3 >/dev/null &&
	sf user delete bob >/dev/null &&
	test_expect_fail 4 "account ${q}bob@example.com${q} is deleted; restore it first" sf list add bob/bob 2 &&
	sf user restore bob >/dev/null
'

test_expect_success 'purging an account and deleting a title remove their list entries' '
	test "$(test_sql "SELECT count(*) FROM list_items l JOIN profiles p ON p.id = l.profile_id
			  JOIN accounts a ON a.id = p.account_id WHERE a.username = ${q}bob${q}")" = 1 &&
	sf user purge bob --yes >/dev/null &&
	test "$(test_sql "SELECT count(*) FROM list_items WHERE profile_id NOT IN (SELECT id FROM profiles)")" = 0 &&
	test "$(test_sql "SELECT count(*) FROM list_items WHERE title_id = 3")" -ge 1 &&
	sf title delete 3 --yes >/dev/null &&
	test "$(test_sql "SELECT count(*) FROM list_items WHERE title_id = 3")" = 0 &&
	test "$(order ada/kids)" = 5
'

test_done
