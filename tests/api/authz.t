#!/usr/bin/env bash
# authz.t - who may call what: every route of the router table, called
# with no token and as each role, and with another account's objects.
#
# One row a route: METHOD PATH BODY and the status expected for no token,
# viewer, moderator, content_manager, user_manager and admin.  Requests
# that would change something carry a body with an unknown field, so a
# caller who gets past authorization is stopped by validation (400) and
# nothing changes; 401 and 403 come before validation.  In paths, {own}
# is the caller's own profile, {other} a profile of another account
# (viewer routes name their profile with ?profile=).
. "$SF_TEST_TOP/tests/harness/lib.sh"
. "$SF_TEST_TOP/tests/api/lib.sh"
test_db
api_start

roles="viewer moderator content_manager user_manager admin"
for r in $roles; do
	api_user "$r@example.com" "$r" >"$r.tok"
	test_sql "SELECT p.id FROM profiles p JOIN accounts a ON a.id = p.account_id
		  WHERE a.email = '$r@example.com'" >"$r.profile"
done
echo Secret123 | sf user add --email outsider@example.com --username outsider --password-stdin >/dev/null
OTHER=$(test_sql "SELECT p.id FROM profiles p JOIN accounts a ON a.id = p.account_id
		  WHERE a.email = 'outsider@example.com'")
api POST /api/v1/admin/titles "$(cat content_manager.tok)" \
	'{"kind":"series","title":"Seen","status":"published","seasons":[{"number":1,"episodes":[{"number":1,"name":"E"}]}]}' >/dev/null
TITLE=$(j 'd["id"]')
api POST /api/v1/auth/login "" '{"email":"outsider@example.com","password":"Secret123"}' >/dev/null
api POST /api/v1/titles/$TITLE/reviews "$(j 'd["access_token"]')" '{"body":"Seen it."}' >/dev/null
REVIEW=$(j 'd["id"]')
Z='{"zz":1}'

cat >table <<EOF
GET     /healthz                              -    200 200 200 200 200 200
GET     /readyz                               -    200 200 200 200 200 200
GET     /metrics                              -    200 200 200 200 200 200
GET     /api/v1/openapi.json                  -    200 200 200 200 200 200
POST    /api/v1/auth/register                 $Z   400 400 400 400 400 400
POST    /api/v1/auth/login                    $Z   400 400 400 400 400 400
POST    /api/v1/auth/refresh                  $Z   400 400 400 400 400 400
POST    /api/v1/auth/logout                   $Z   401 400 400 400 400 400
GET     /api/v1/account                       -    401 200 200 200 200 200
PATCH   /api/v1/account                       $Z   401 400 400 400 400 400
DELETE  /api/v1/account                       $Z   401 400 400 400 400 400
POST    /api/v1/account/password              $Z   401 400 400 400 400 400
GET     /api/v1/profiles                      -    401 200 200 200 200 200
POST    /api/v1/profiles                      $Z   401 400 400 400 400 400
GET     /api/v1/profiles/{own}                -    401 200 200 200 200 200
PATCH   /api/v1/profiles/{own}                $Z   401 400 400 400 400 400
DELETE  /api/v1/profiles/{own}                -    401 409 409 409 409 409
POST    /api/v1/profiles/{own}/pin            $Z   401 400 400 400 400 400
GET     /api/v1/profiles/{other}              -    401 404 404 404 404 404
PATCH   /api/v1/profiles/{other}              {"name":"x"} 401 404 404 404 404 404
DELETE  /api/v1/profiles/{other}              -    401 404 404 404 404 404
POST    /api/v1/profiles/{other}/pin          {"pin":"0000"} 401 404 404 404 404 404
GET     /api/v1/titles                        -    401 200 200 200 200 200
GET     /api/v1/titles/$TITLE                 -    401 200 200 200 200 200
GET     /api/v1/titles/$TITLE/seasons         -    401 200 200 200 200 200
GET     /api/v1/titles/$TITLE/seasons/1       -    401 200 200 200 200 200
GET     /api/v1/search?q=seen                 -    401 200 200 200 200 200
GET     /api/v1/search?q=seen&profile={other} -    401 404 404 404 404 404
GET     /api/v1/suggest?q=se                  -    401 200 200 200 200 200
GET     /api/v1/titles/$TITLE?profile={own}   -    401 200 200 200 200 200
GET     /api/v1/titles/$TITLE?profile={other} -    401 404 404 404 404 404
GET     /api/v1/titles/$TITLE/rating          -    401 200 200 200 200 200
PUT     /api/v1/titles/$TITLE/rating          $Z   401 400 400 400 400 400
DELETE  /api/v1/titles/$TITLE/rating          $Z   401 400 400 400 400 400
GET     /api/v1/titles/$TITLE/rating?profile={other} - 401 404 404 404 404 404
PUT     /api/v1/titles/$TITLE/rating?profile={other} {"stars":3} 401 404 404 404 404 404
DELETE  /api/v1/titles/$TITLE/rating?profile={other} - 401 404 404 404 404 404
GET     /api/v1/titles/$TITLE/reviews         -    401 200 200 200 200 200
POST    /api/v1/titles/$TITLE/reviews         $Z   401 400 400 400 400 400
GET     /api/v1/titles/$TITLE/reviews?profile={other} - 401 404 404 404 404 404
POST    /api/v1/titles/$TITLE/reviews?profile={other} {"body":"x"} 401 404 404 404 404 404
PUT     /api/v1/titles/$TITLE/progress        $Z   401 400 400 400 400 400
PUT     /api/v1/titles/$TITLE/progress?profile={other} {"position":1} 401 404 404 404 404 404
GET     /api/v1/titles/$TITLE/resume          -    401 200 200 200 200 200
GET     /api/v1/titles/$TITLE/resume?profile={other} - 401 404 404 404 404 404
GET     /api/v1/titles/$TITLE/next            -    401 200 200 200 200 200
GET     /api/v1/titles/$TITLE/next?profile={other} - 401 404 404 404 404 404
GET     /api/v1/my-list                       -    401 200 200 200 200 200
POST    /api/v1/my-list                       $Z   401 400 400 400 400 400
PUT     /api/v1/my-list                       $Z   401 400 400 400 400 400
DELETE  /api/v1/my-list                       $Z   401 400 400 400 400 400
DELETE  /api/v1/my-list/$TITLE                $Z   401 400 400 400 400 400
GET     /api/v1/my-list?profile={other}       -    401 404 404 404 404 404
POST    /api/v1/my-list?profile={other}       {"title":"$TITLE"} 401 404 404 404 404 404
PUT     /api/v1/my-list?profile={other}       {"titles":[]} 401 404 404 404 404 404
DELETE  /api/v1/my-list?profile={other}       -    401 404 404 404 404 404
DELETE  /api/v1/my-list/$TITLE?profile={other} -   401 404 404 404 404 404
GET     /api/v1/reviews                       -    401 200 200 200 200 200
GET     /api/v1/reviews?profile={other}       -    401 404 404 404 404 404
GET     /api/v1/reviews/$REVIEW               -    401 200 200 200 200 200
PATCH   /api/v1/reviews/$REVIEW               $Z   401 400 400 400 400 400
DELETE  /api/v1/reviews/$REVIEW               $Z   401 400 400 400 400 400
PUT     /api/v1/reviews/$REVIEW/vote          $Z   401 400 400 400 400 400
POST    /api/v1/reviews/$REVIEW/reports       $Z   401 400 400 400 400 400
GET     /api/v1/reviews/$REVIEW?profile={other} - 401 404 404 404 404 404
PATCH   /api/v1/reviews/$REVIEW?profile={other} {"body":"x"} 401 404 404 404 404 404
DELETE  /api/v1/reviews/$REVIEW?profile={other} - 401 404 404 404 404 404
PUT     /api/v1/reviews/$REVIEW/vote?profile={other} {"vote":"helpful"} 401 404 404 404 404 404
POST    /api/v1/reviews/$REVIEW/reports?profile={other} {"reason":"x"} 401 404 404 404 404 404
GET     /api/v1/playback/$TITLE               -    401 404 404 404 404 404
GET     /api/v1/playback/$TITLE?profile={other} - 401 404 404 404 404 404
GET     /media/AAAAAAAAAAAAAAAAAAAAAA/1/1-00000000/master.m3u8 - 403 403 403 403 403 403
GET     /api/v1/continue-watching             -    401 200 200 200 200 200
GET     /api/v1/continue-watching?profile={other} - 401 404 404 404 404 404
GET     /api/v1/history                       -    401 200 200 200 200 200
GET     /api/v1/home                          -    401 200 200 200 200 200
GET     /api/v1/home?profile={other}          -    401 404 404 404 404 404
GET     /api/v1/experiments/assignments       -    401 200 200 200 200 200
GET     /api/v1/experiments/assignments?profile={other} - 401 404 404 404 404 404
GET     /api/v1/history?profile={other}       -    401 404 404 404 404 404
GET     /api/v1/admin/accounts                -    401 403 403 403 200 200
POST    /api/v1/admin/accounts                $Z   401 403 403 403 400 400
GET     /api/v1/admin/accounts/outsider       -    401 403 403 403 200 200
PATCH   /api/v1/admin/accounts/outsider       $Z   401 403 403 403 400 400
DELETE  /api/v1/admin/accounts/nobody         -    401 403 403 403 404 404
GET     /api/v1/admin/titles                  -    401 403 403 200 403 200
POST    /api/v1/admin/titles                  $Z   401 403 403 400 403 400
GET     /api/v1/admin/titles/$TITLE           -    401 403 403 200 403 200
PATCH   /api/v1/admin/titles/$TITLE           $Z   401 403 403 400 403 400
DELETE  /api/v1/admin/titles/999999           -    401 403 403 404 403 404
GET     /api/v1/admin/audit                   -    401 403 403 403 200 200
POST    /api/v1/admin/import                  $Z   401 403 403 400 403 400
GET     /api/v1/admin/moderation/queue        -    401 403 200 403 403 200
POST    /api/v1/admin/reviews/$REVIEW/decision $Z  401 403 400 403 403 400
EOF

test_expect_success 'sf serve --routes says who may call each route, as the table expects' '
	sf serve --routes >who &&
	grep -qx "GET /healthz public" who &&
	grep -qx "GET /api/v1/account token" who &&
	grep -qx "GET /api/v1/admin/accounts user_manager,admin" who &&
	grep -qx "POST /api/v1/admin/titles content_manager,admin" who &&
	grep -qx "GET /api/v1/admin/audit user_manager,admin" who
'

test_expect_success 'the table covers every route of the router table' '
	sf serve --routes | awk "{ print \$1, \$2 }" | sort >routes &&
	awk "{ print \$1, \$2 }" table | sed -e "s/?.*//" -e "s/{own}\|{other}/{id}/" \
		-e "s|/titles/$TITLE|/titles/{id}|" -e "s|/seasons/1\$|/seasons/{number}|" \
		-e "s|/accounts/[a-z]*\$|/accounts/{id}|" -e "s|/titles/999999|/titles/{id}|" \
		-e "s|/my-list/$TITLE|/my-list/{id}|" -e "s|/reviews/$REVIEW|/reviews/{id}|" \
		-e "s|/playback/$TITLE|/playback/{title}|" -e "s|^GET /media/.*|GET /media/{path}|" |
		sort -u >covered &&
	test_cmp routes covered
'

who="none $roles"
while read -r method path body expect; do
	set -- $expect
	cmd=: name=
	for r in $who; do
		want=$1
		shift
		tok=
		p=$path
		if [ "$r" != none ]; then
			tok=$(cat "$r.tok")
			p=${p//\{own\}/$(cat "$r.profile")}
		fi
		p=${p//\{own\}/1}
		p=${p//\{other\}/$OTHER}
		if [ "$body" = - ]; then
			cmd="$cmd && api_expect $want $method '$p' '$tok'"
		else
			cmd="$cmd && api_expect $want $method '$p' '$tok' '$body'"
		fi
		name="$name $r:$want"
	done
	test_expect_success "$method $path:$name" "$cmd"
done <table

test_expect_success 'nothing changed in the database but the sessions and the audit of setup' '
	test "$(test_sql "SELECT count(*) FROM accounts WHERE deleted_at IS NULL")" = 6 &&
	test "$(test_sql "SELECT count(*) FROM profiles")" = 6 &&
	test "$(test_sql "SELECT count(*) FROM titles")" = 1 &&
	test "$(test_sql "SELECT count(*) FROM auth_sessions WHERE revoked_at IS NOT NULL")" = 0 &&
	test "$(test_sql "SELECT (SELECT count(*) FROM list_items) + (SELECT count(*) FROM ratings) +
		(SELECT count(*) FROM watch_events) + (SELECT count(*) FROM review_votes) +
		(SELECT count(*) FROM review_reports)")" = 0 &&
	test "$(test_sql "SELECT count(*) FROM reviews")" = 1
'

api_stop
test_done
