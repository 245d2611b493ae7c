#!/usr/bin/env bash
# tokens.t - access tokens as RFC 8725 asks: every tampered, forged or
# expired token is 401, the algorithm is pinned, and the secret is kept
# in a 0600 file when SF_SECRET is not given.
. "$SF_TEST_TOP/tests/harness/lib.sh"
. "$SF_TEST_TOP/tests/api/lib.sh"
test_db

test_expect_success 'without SF_SECRET the secret is made once, mode 0600, under $SF_HOME' '
	unset SF_SECRET &&
	api_start && kill "$API_PID" && wait "$API_PID" || true &&
	test "$(stat -c %a "$SF_HOME/secret")" = 600 &&
	cp "$SF_HOME/secret" first &&
	api_start && kill "$API_PID" && wait "$API_PID" || true &&
	test_cmp first "$SF_HOME/secret"
'

test_expect_success 'a secret file that others may read is refused' '
	chmod 644 "$SF_HOME/secret" &&
	test_expect_code 2 sf serve --listen "unix:$TEST_DIR/s2" 2>err &&
	grep -q "readable by others" err &&
	chmod 600 "$SF_HOME/secret"
'

test_expect_success 'a short SF_SECRET is refused' '
	SF_SECRET=short test_expect_code 2 sf serve --listen "unix:$TEST_DIR/s2" 2>err &&
	grep -q "SF_SECRET" err
'

export SF_SECRET=0123456789abcdef0123456789abcdef-test-secret
api_start
api_user v@example.com viewer >tok
ACCOUNT=$(test_sql "SELECT id FROM accounts WHERE email = 'v@example.com'")
SESSION=$(test_sql "SELECT max(id) FROM auth_sessions")

# forge [HEADER-JSON] [PAYLOAD-JSON] [KEY] [SIG]: a token signed with KEY
# (default the server's secret); SIG replaces the signature.
forge() {
	python3 - "$@" <<'PY'
import base64, hashlib, hmac, json, os, sys, time
def b64(b): return base64.urlsafe_b64encode(b).rstrip(b"=").decode()
now = int(time.time())
h = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] else '{"alg":"HS256","typ":"at+jwt"}'
p = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else json.dumps({"iss": "sf", "aud": "sf-api",
    "sub": os.environ["ACCOUNT"], "sid": int(os.environ["SESSION"]), "iat": now, "exp": now + 600})
p = p.replace("NOW", str(now))
key = (sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else os.environ["SF_SECRET"]).encode()
signing = b64(h.encode()) + "." + b64(p.encode())
sig = b64(hmac.new(key, signing.encode(), hashlib.sha256).digest())
if len(sys.argv) > 4: sig = sys.argv[4]
print(signing + "." + sig)
PY
}
export ACCOUNT SESSION

claims() {   # claims ISS AUD TYP-IGNORED EXP-OFFSET
	echo "{\"iss\":\"$1\",\"aud\":\"$2\",\"sub\":\"$ACCOUNT\",\"sid\":$SESSION,\"iat\":NOW,\"exp\":$3}"
}

test_expect_success 'a token forged with the right secret and claims works (the forger is sound)' '
	api_expect 200 GET /api/v1/account "$(forge)"
'

test_expect_success 'alg none is refused' '
	t=$(forge "{\"alg\":\"none\",\"typ\":\"at+jwt\"}" "" "" "") &&
	api_expect 401 GET /api/v1/account "$t" &&
	t=$(forge "{\"alg\":\"none\",\"typ\":\"at+jwt\"}" "" "" "x") &&
	api_expect 401 GET /api/v1/account "$t"
'

test_expect_success 'other algorithms are refused even with a valid HMAC' '
	for alg in HS512 HS384 RS256 ES256 hs256; do
		t=$(forge "{\"alg\":\"$alg\",\"typ\":\"at+jwt\"}") &&
		api_expect 401 GET /api/v1/account "$t" && grep -q algorithm out || exit 1
	done
'

test_expect_success 'a wrong or missing typ is refused' '
	api_expect 401 GET /api/v1/account "$(forge "{\"alg\":\"HS256\",\"typ\":\"JWT\"}")" &&
	api_expect 401 GET /api/v1/account "$(forge "{\"alg\":\"HS256\"}")"
'

test_expect_success 'a crit header is refused' '
	api_expect 401 GET /api/v1/account "$(forge "{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"crit\":[\"x\"]}")"
'

test_expect_success 'a tampered payload is refused (signature of the old one)' '
	good=$(forge) &&
	other=$(forge "" "{\"iss\":\"sf\",\"aud\":\"sf-api\",\"sub\":\"1\",\"sid\":1,\"iat\":NOW,\"exp\":9999999999}") &&
	t="${good%%.*}.$(echo "$other" | cut -d. -f2).${good##*.}" &&
	api_expect 401 GET /api/v1/account "$t" && grep -q signature out
'

test_expect_success 'a tampered signature and one made with another key are refused' '
	good=$(forge) && sig=${good##*.} &&
	flipped=$(echo "$sig" | tr "A-Za-z" "B-ZAb-za") &&
	api_expect 401 GET /api/v1/account "${good%.*}.$flipped" &&
	api_expect 401 GET /api/v1/account "$(forge "" "" "another-secret-another-secret-1234")" &&
	api_expect 401 GET /api/v1/account "${good%.*}."
'

test_expect_success 'wrong iss and wrong aud are refused' '
	api_expect 401 GET /api/v1/account "$(forge "" "$(claims evil sf-api 9999999999)")" &&
	grep -q issuer out &&
	api_expect 401 GET /api/v1/account "$(forge "" "$(claims sf other 9999999999)")" &&
	grep -q audience out
'

test_expect_success 'an expired token is refused' '
	api_expect 401 GET /api/v1/account "$(forge "" "$(claims sf sf-api 1000)")" &&
	grep -q expired out
'

test_expect_success 'claims of the wrong type are refused' '
	api_expect 401 GET /api/v1/account \
		"$(forge "" "{\"iss\":\"sf\",\"aud\":\"sf-api\",\"sub\":$ACCOUNT,\"sid\":$SESSION,\"iat\":NOW,\"exp\":9999999999}")"
'

test_expect_success 'a token for a session that does not exist is refused' '
	api_expect 401 GET /api/v1/account \
		"$(forge "" "{\"iss\":\"sf\",\"aud\":\"sf-api\",\"sub\":\"$ACCOUNT\",\"sid\":999999,\"iat\":NOW,\"exp\":9999999999}")"
'

test_expect_success 'garbage and malformed headers are 401 with WWW-Authenticate' '
	for t in x a.b a.b.c.d "...." "$(printf "%03000d" 0)"; do
		api_expect 401 GET /api/v1/account "$t" || exit 1
	done &&
	grep -qi "^www-authenticate: Bearer" hdr &&
	test "$(curl -s -o out -w "%{http_code}" --unix-socket "$API_SOCK" -H "Authorization: Basic dTpw" http://sf/api/v1/account)" = 401
'

test_expect_success 'the token the server issues names the pinned header and claims' '
	python3 -c "
import base64, json, sys
t = open(\"tok\").read().strip().split(\".\")
pad = lambda s: s + \"=\" * (-len(s) % 4)
h = json.loads(base64.urlsafe_b64decode(pad(t[0])))
p = json.loads(base64.urlsafe_b64decode(pad(t[1])))
assert h == {\"alg\": \"HS256\", \"typ\": \"at+jwt\"}, h
assert p[\"iss\"] == \"sf\" and p[\"aud\"] == \"sf-api\" and p[\"exp\"] - p[\"iat\"] == 900, p
"
'

api_stop
test_done
