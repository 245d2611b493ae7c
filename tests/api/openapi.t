#!/usr/bin/env bash
# openapi.t - api/openapi.json and the router table agree: every route
# of "sf serve --routes" is in the document and every operation of the
# document is a route; and the document is sound OpenAPI 3.1 as far as
# the API relies on it (path parameters declared, errors documented).
. "$SF_TEST_TOP/tests/harness/lib.sh"
DOC=$SF_TEST_TOP/api/openapi.json

test_expect_success 'the document is JSON of OpenAPI 3.1' '
	test "$(test_json "$DOC" "d[\"openapi\"]")" = 3.1.0
'

test_expect_success 'every route is in the document and every operation is a route' '
	sf serve --routes | awk "{ print \$1, \$2 }" | sort >routes &&
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
for path, ops in d[\"paths\"].items():
    for method in ops:
        print(method.upper(), path)
" "$DOC" | sort >documented &&
	test_cmp routes documented
'

test_expect_success 'each operation declares its path parameters, responses and security' '
	python3 -c "
import json, re, sys
d = json.load(open(sys.argv[1]))
bad = []
for path, ops in d[\"paths\"].items():
    names = set(re.findall(r\"{(\w+)}\", path))
    for method, op in ops.items():
        declared = {p[\"name\"] for p in op.get(\"parameters\", []) if p[\"in\"] == \"path\"}
        if declared != names: bad.append((method, path, \"path parameters\"))
        if not op.get(\"responses\"): bad.append((method, path, \"responses\"))
        if \"security\" not in op: bad.append((method, path, \"security\"))
        if op.get(\"security\") and \"401\" not in op[\"responses\"]: bad.append((method, path, \"401\"))
        if not op.get(\"operationId\"): bad.append((method, path, \"operationId\"))
print(\"\\n\".join(map(str, bad)))
sys.exit(1 if bad else 0)
" "$DOC"
'

test_expect_success 'routes that need a token are exactly the ones the document secures' '
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
for path, ops in d[\"paths\"].items():
    for method, op in ops.items():
        print(method.upper(), path, \"token\" if op[\"security\"] else \"public\")
" "$DOC" | sort >documented &&
	sf serve --routes | awk "{ print \$1, \$2, (\$3 == \"public\" ? \"public\" : \"token\") }" |
		sort >actual &&
	test_cmp documented actual
'

test_done
