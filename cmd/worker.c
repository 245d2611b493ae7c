/*
 * worker.c - "sf worker": run queued jobs (media ingests) until stopped.
 *
 * With --concurrency N it forks N workers, each with its own database
 * connection, and waits for them; each takes jobs one at a time (job.h),
 * logs one line per job on standard error, and polls once a second when
 * there is nothing to do.  --drain stops each worker when no job is due.
 * SIGINT or SIGTERM stops the workers after their current job; a worker
 * killed outright loses its job to the next worker to look (job.h).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "db.h"
#include "error.h"
#include "job.h"
#include "media.h"
#include "media_progress.h"
#include "store.h"
#include "worker.h"

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

/* 1 once the producer has closed its end of the pipe fd (or there is
 * none). */
static int produced(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char c;

	if (fd < 0)
		return 1;
	return poll(&p, 1, 0) == 1 && read(fd, &c, 1) == 0;
}

static int work(struct sf_db *db, int n, bool drain, bool quiet, int until)
{
	char name[128], host[64] = "";
	int rc = 0;

	gethostname(host, sizeof(host) - 1);
	snprintf(name, sizeof(name), "%s:%ld", host, (long)getpid());
	while (!stopping) {
		struct sf_media_bar bar;
		struct sf_job job;
		char label[48], *err = NULL;

		snprintf(label, sizeof(label), "worker %d", n);
		sf_media_bar_init(&bar, label);
		rc = sf_media_work(db, name, 0, sf_media_bar_update, &bar, &job, &err);
		sf_media_bar_done(&bar);
		if (rc < 0)
			break;
		if (rc == 1) {
			rc = 0;
			if (drain && produced(until))
				break;
			if (until >= 0)
				usleep(200000);
			else
				sleep(1);
			continue;
		}
		if (err && !quiet)
			fprintf(stderr, "worker %d: job %lld (asset %lld, attempt %d of %d) failed: %s\n",
				n, job.id, job.asset_id, job.attempt, job.max_attempts, err);
		else if (!quiet)
			fprintf(stderr, "worker %d: job %lld (asset %lld): ready\n", n, job.id,
				job.asset_id);
		free(err);
	}
	return rc;
}

static void stop_all(const pid_t *kids, int n)
{
	for (int i = 0; i < n; i++)
		kill(kids[i], SIGTERM);
}

int sf_worker_run(const char *db_url, struct sf_db *db, int n, bool drain, bool quiet,
		  int (*producer)(void *arg), void *arg)
{
	struct sigaction sa = { .sa_handler = on_signal };
	int status = 0, rc, until[2] = { -1, -1 }, prc = 0;
	pid_t kids[64];

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (n == 1 && !producer)
		return work(db, 1, drain, quiet, -1);
	if (producer && pipe(until) < 0)
		return sf_error(SF_EINTERNAL, "worker: %s", strerror(errno));
	for (int i = 1; i <= n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return sf_error(SF_EINTERNAL, "worker: cannot fork: %s", strerror(errno));
		kids[i - 1] = pid;
		if (pid == 0) {
			struct sf_db *own = NULL;

			/* The parent's connection is not ours to use or close. */
			if (until[1] >= 0)
				close(until[1]);
			rc = sf_store_open(db_url, &own);
			if (!rc)
				rc = work(own, i, drain, quiet, until[0]);
			if (rc)
				fprintf(stderr, "sf: %s\n", sf_error_message());
			sf_db_free(own);
			fflush(stderr);
			_exit(rc ? sf_error_exit_status(rc) : 0);
		}
	}
	if (producer) {
		close(until[0]);
		prc = producer(arg);
		close(until[1]);
		if (prc)
			stop_all(kids, n);
	}
	for (;;) {
		int st;
		pid_t pid = wait(&st);

		if (pid < 0 && errno == EINTR) {
			if (stopping)
				stop_all(kids, n);
			continue;
		}
		if (pid < 0)
			break;
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			status = WIFEXITED(st) ? WEXITSTATUS(st) : 1;
	}
	return prc ? prc : status;
}

static int worker(struct sf_ctx *ctx)
{
	long long n = 1;
	int rc = sf_opt_int(ctx, "concurrency", 1, 64, &n);

	if (rc)
		return rc;
	return sf_worker_run(ctx->db_url, ctx->db, (int)n, sf_flag(ctx, "drain"), false, NULL, NULL);
}

static const struct sf_opt worker_opts[] = {
	{ "concurrency", "<n>", "run n jobs at once, 1 to 64 (default 1)" },
	{ "drain", NULL, "stop when no job is due instead of waiting for more" },
	{ NULL },
};

const struct sf_command sf_cmd_worker = {
	.name = "worker",
	.summary = "run queued jobs: media encoding",
	.verbs = (const struct sf_verb[]){
		{ NULL, NULL, "", "run queued jobs: media encoding", worker, CMD_DB, worker_opts,
		  0, 0 },
		{ 0 },
	},
};
