# pg.sh - start and stop a throwaway PostgreSQL cluster for tests.
#
# pg_start DIR starts a cluster in DIR (data in DIR/data, socket in DIR),
# tuned for tests (fsync off), as the "postgres" user when running as
# root.  pg_stop DIR stops it.  Both speak only through the unix socket.

pg_bindir() {
	if [ -n "${SF_PG_BINDIR:-}" ]; then
		echo "$SF_PG_BINDIR"
	elif [ -x /usr/lib/postgresql/15/bin/initdb ]; then
		echo /usr/lib/postgresql/15/bin
	else
		pg_config --bindir
	fi
}

# Runs a command as the cluster's owner.
pg_as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pg_start() {
	local dir=$1 bin
	bin=$(pg_bindir)
	mkdir -p "$dir"
	if [ "$(id -u)" = 0 ]; then
		chmod 755 "$(dirname "$dir")"
		chown postgres: "$dir"
	fi
	pg_as_owner "$bin/initdb" -D "$dir/data" -U sf -A trust -E UTF8 \
		--locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		return 1
	}
	pg_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-k '$dir' -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
		start >"$dir/pg_ctl.log" 2>&1 || {
		cat "$dir/pg_ctl.log" "$dir/server.log" >&2
		return 1
	}
}

pg_stop() {
	local dir=$1
	[ -f "$dir/data/postmaster.pid" ] || return 0
	pg_as_owner "$(pg_bindir)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
}
