/*
 * shaper.c - an HTTP reverse proxy for the tests that shapes bandwidth
 * by a schedule and injects faults, so "sf play" can be tested against a
 * network that slows down, recovers, or breaks.
 *
 *   shaper --upstream HOST:PORT --port-file FILE [--schedule SPEC]
 *          [--log FILE] [--fault KIND:MATCH]...
 *
 * It listens on 127.0.0.1, a free port written to --port-file, and relays
 * each client connection over a connection of its own to the upstream,
 * one request after another (HTTP/1.1 keep-alive; requests and responses
 * are framed by Content-Length).  Everything sent back to clients passes
 * one token bucket (50 ms deep) whose rate follows the schedule:
 * "4000k:12,600k:20,4000k" is 4000 kbit/s for 12 s, 600 kbit/s for the
 * next 20 s, then 4000 kbit/s; the clock starts at the first request.
 *
 * Faults, for requests whose path contains MATCH:
 *   status=NNN:MATCH  answer NNN at once, never asking the upstream
 *   corrupt:MATCH     relay the response with every 188th byte of its
 *                     body changed (MPEG-TS sync bytes broken)
 *   drop:MATCH        close the connection halfway through the body
 *   stall:MATCH       send the headers, then nothing more
 * One line a request goes to --log: seconds since the first request,
 * path, status, bytes, milliseconds, the rate in kbit/s at its start.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define STEPS_MAX 16
#define FAULTS_MAX 16
#define HEAD_MAX 16384

static struct {
	double kbps, until;      /* the rate until this many seconds */
} steps[STEPS_MAX];
static int nsteps;

static struct {
	char kind[16];
	int status;
	char match[200];
} faults[FAULTS_MAX];
static int nfaults;

static struct sockaddr_in upstream;
static FILE *logf;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static double t_first = -1, tokens, t_refill;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *msg, const char *arg)
{
	fprintf(stderr, "shaper: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
	exit(2);
}

/* The rate at t seconds after the first request (lock held). */
static double rate_at(double t)
{
	for (int i = 0; i < nsteps; i++)
		if (t < steps[i].until)
			return steps[i].kbps * 1000 / 8;   /* bytes a second */
	return nsteps ? steps[nsteps - 1].kbps * 1000 / 8 : 1e12;
}

static double clock_since_first(void)
{
	double t;

	pthread_mutex_lock(&lock);
	if (t_first < 0)
		t_first = now();
	t = now() - t_first;
	pthread_mutex_unlock(&lock);
	return t;
}

/* Waits until n bytes may go out. */
static void take(size_t n)
{
	for (;;) {
		double wait, r;

		pthread_mutex_lock(&lock);
		r = rate_at(now() - t_first);
		tokens += (now() - t_refill) * r;
		t_refill = now();
		if (tokens > r * 0.05 + n)
			tokens = r * 0.05 + n;
		if (tokens >= n) {
			tokens -= n;
			pthread_mutex_unlock(&lock);
			return;
		}
		wait = (n - tokens) / r;
		pthread_mutex_unlock(&lock);
		usleep((useconds_t)(wait * 1e6) + 500);
	}
}

static int send_all(int fd, const char *p, size_t n, int shaped)
{
	while (n) {
		size_t chunk = n > 4096 ? 4096 : n;
		ssize_t w;

		if (shaped)
			take(chunk);
		w = send(fd, p, chunk, MSG_NOSIGNAL);
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reads until the end of the headers; returns their length (with the
 * blank line) and leaves any extra bytes after them in buf. */
static ssize_t read_head(int fd, char *buf, size_t *have)
{
	char *end;

	for (;;) {
		ssize_t r;

		buf[*have] = 0;
		if ((end = strstr(buf, "\r\n\r\n")))
			return end + 4 - buf;
		if (*have >= HEAD_MAX - 1)
			return -1;
		r = recv(fd, buf + *have, HEAD_MAX - 1 - *have, 0);
		if (r <= 0)
			return -1;
		*have += (size_t)r;
	}
}

static long long content_length(const char *head)
{
	const char *p = head;

	while ((p = strchr(p, '\n'))) {
		p++;
		if (!strncasecmp(p, "Content-Length:", 15))
			return atoll(p + 15);
	}
	return -1;
}

static int fault_for(const char *path, int *status)
{
	for (int i = 0; i < nfaults; i++)
		if (strstr(path, faults[i].match)) {
			*status = faults[i].status;
			return i;
		}
	return -1;
}

/* Relays body bytes (len of them, or to the end when -1) from up to
 * client, the first `have` already in buf. */
static int relay_body(int up, int client, char *buf, size_t have, long long len,
		      const char *fault, long long *sent)
{
	long long off = 0, stop = len >= 0 && !strcmp(fault, "drop") ? len / 2 : -1;

	for (;;) {
		if (have) {
			size_t n = have;

			if (stop >= 0 && off + (long long)n > stop)
				n = (size_t)(stop - off);
			if (!strcmp(fault, "corrupt"))
				for (size_t i = 0; i < n; i++)
					if ((off + (long long)i) % 188 == 0)
						buf[i] ^= 0x5a;
			if (send_all(client, buf, n, 1) < 0)
				return -1;
			off += (long long)n;
			*sent += (long long)n;
			if (stop >= 0 && off >= stop)
				return -1;   /* drop: close mid-body */
		}
		if (len >= 0 && off >= len)
			return 0;
		{
			ssize_t r = recv(up, buf, HEAD_MAX, 0);

			if (r <= 0)
				return len >= 0 ? -1 : 1;   /* 1: the upstream closed */
			have = (size_t)r;
			if (len >= 0 && off + r > len)
				have = (size_t)(len - off);
		}
	}
}

static void *serve_client(void *arg)
{
	int client = (int)(long)arg, up = -1;
	char *req = malloc(HEAD_MAX + 1), *resp = malloc(HEAD_MAX + 1);
	size_t have = 0;

	up = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(up, (struct sockaddr *)&upstream, sizeof(upstream)) < 0)
		goto out;
	for (;;) {
		ssize_t hl = read_head(client, req, &have), rl;
		long long blen, sent = 0;
		char path[1024] = "", method[16] = "";
		double t0, rate;
		int status = 0, f;
		size_t rhave = 0;
		const char *kind = "";

		if (hl < 0)
			break;
		t0 = clock_since_first();
		pthread_mutex_lock(&lock);
		rate = rate_at(t0) * 8 / 1000;
		pthread_mutex_unlock(&lock);
		sscanf(req, "%15s %1023s", method, path);
		blen = content_length(req);
		/* the request's body, if any, must be whole before going on */
		while (blen > 0 && (long long)have < hl + blen) {
			ssize_t r = recv(client, req + have, HEAD_MAX - have, 0);

			if (r <= 0)
				goto out;
			have += (size_t)r;
		}
		if (blen < 0)
			blen = 0;
		f = fault_for(path, &status);
		if (f >= 0)
			kind = faults[f].kind;
		if (!strcmp(kind, "status")) {
			char canned[128];
			int n = snprintf(canned, sizeof(canned),
					 "HTTP/1.1 %d Fault\r\nContent-Length: 0\r\n\r\n", status);

			send_all(client, canned, (size_t)n, 0);
			if (logf) {
				pthread_mutex_lock(&lock);
				fprintf(logf, "%.3f %s %d 0 0 %.0f fault\n", t0, path, status, rate);
				fflush(logf);
				pthread_mutex_unlock(&lock);
			}
		} else {
			if (send_all(up, req, (size_t)(hl + blen), 0) < 0)
				break;
			rl = read_head(up, resp, &rhave);
			if (rl < 0)
				break;
			sscanf(resp, "HTTP/1.%*d %d", &status);
			if (send_all(client, resp, (size_t)rl, 1) < 0)
				break;
			if (!strcmp(kind, "stall")) {
				pause();
				break;
			}
			{
				long long len = strcmp(method, "HEAD") && status != 204 && status != 304
						? content_length(resp) : 0;
				int r;

				memmove(resp, resp + rl, rhave - (size_t)rl);
				r = relay_body(up, client, resp, rhave - (size_t)rl, len, kind, &sent);
				if (logf) {
					double ms = (clock_since_first() - t0) * 1000;

					pthread_mutex_lock(&lock);
					fprintf(logf, "%.3f %s %d %lld %.0f %.0f%s\n", t0, path, status,
						sent, ms, rate, *kind ? " fault" : "");
					fflush(logf);
					pthread_mutex_unlock(&lock);
				}
				if (r)
					break;
			}
		}
		memmove(req, req + hl + blen, have - (size_t)(hl + blen));
		have -= (size_t)(hl + blen);
	}
out:
	close(client);
	if (up >= 0)
		close(up);
	free(req);
	free(resp);
	return NULL;
}

static void parse_schedule(char *spec)
{
	double at = 0;

	for (char *s = strtok(spec, ","); s; s = strtok(NULL, ",")) {
		char *end;
		double kbps = strtod(s, &end), secs = 1e18;

		if (end == s || nsteps == STEPS_MAX || kbps <= 0)
			die("bad schedule step", s);
		if (*end == 'k' || *end == 'K')
			end++;
		else if (*end == 'm' || *end == 'M')
			kbps *= 1000, end++;
		if (*end == ':')
			secs = strtod(end + 1, &end);
		if (*end || secs <= 0)
			die("bad schedule step", s);
		at += secs;
		steps[nsteps].kbps = kbps;
		steps[nsteps++].until = at;
	}
}

static void parse_fault(const char *spec)
{
	const char *colon = strchr(spec, ':');

	if (!colon || nfaults == FAULTS_MAX)
		die("bad fault", spec);
	snprintf(faults[nfaults].match, sizeof(faults[nfaults].match), "%s", colon + 1);
	if (!strncmp(spec, "status=", 7)) {
		snprintf(faults[nfaults].kind, sizeof(faults[nfaults].kind), "status");
		faults[nfaults].status = atoi(spec + 7);
	} else {
		snprintf(faults[nfaults].kind, sizeof(faults[nfaults].kind), "%.*s",
			 (int)(colon - spec), spec);
		if (strcmp(faults[nfaults].kind, "corrupt") && strcmp(faults[nfaults].kind, "drop") &&
		    strcmp(faults[nfaults].kind, "stall"))
			die("bad fault", spec);
	}
	nfaults++;
}

int main(int argc, char **argv)
{
	const char *port_file = NULL, *up = NULL;
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	int fd, one = 1;
	FILE *f;

	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			die("a value is missing after", argv[i]);
		if (!strcmp(argv[i], "--upstream"))
			up = v;
		else if (!strcmp(argv[i], "--port-file"))
			port_file = v;
		else if (!strcmp(argv[i], "--schedule"))
			parse_schedule(strdup(v));
		else if (!strcmp(argv[i], "--fault"))
			parse_fault(v);
		else if (!strcmp(argv[i], "--log"))
			logf = fopen(v, "w");
		else
			die("unknown option", argv[i]);
		i++;
	}
	if (!up || !port_file)
		die("usage: shaper --upstream HOST:PORT --port-file FILE [--schedule SPEC] "
		    "[--log FILE] [--fault KIND:MATCH]...", NULL);
	{
		char host[64];
		int port;

		if (sscanf(up, "%63[^:]:%d", host, &port) != 2)
			die("bad upstream", up);
		upstream.sin_family = AF_INET;
		upstream.sin_port = htons((unsigned short)port);
		if (inet_pton(AF_INET, host, &upstream.sin_addr) != 1)
			die("bad upstream", up);
	}
	signal(SIGPIPE, SIG_IGN);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 64) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &alen) < 0)
		die("cannot listen", strerror(errno));
	f = fopen(port_file, "w");
	if (!f)
		die("cannot write", port_file);
	fprintf(f, "%d\n", ntohs(a.sin_port));
	fclose(f);
	t_refill = now();
	for (;;) {
		int c = accept(fd, NULL, NULL);
		pthread_t t;

		if (c < 0)
			continue;
		setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (pthread_create(&t, NULL, serve_client, (void *)(long)c) == 0)
			pthread_detach(t);
		else
			close(c);
	}
}
