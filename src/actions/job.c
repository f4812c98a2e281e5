#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "actions/job.h"
#include "util/xmalloc.h"

#define JOB_MAX_LINE	(64 * 1024)	/* a longer line is not ours */

void
job_runner_init(struct job_runner *jr)
{
	memset(jr, 0, sizeof *jr);
	jr->next_id = 1;
}

static void
job_free(struct job *j)
{
	if (j->fd != -1)
		close(j->fd);
	buf_done(&j->in);
	free(j);
}

void
job_runner_done(struct job_runner *jr)
{
	size_t	i;

	for (i = 0; i < jr->njobs; i++) {
		/* it closes what it opened on its own; nobody waits for it */
		job_cancel(jr->jobs[i]);
		job_free(jr->jobs[i]);
	}
	free(jr->jobs);
	free(jr->done);
	memset(jr, 0, sizeof *jr);
}

struct job *
job_start_gc(struct job_runner *jr, int pid, unsigned long long start,
    const struct gc_opts *o, char *err, size_t errlen)
{
	struct job	*j;
	int		 p[2];
	pid_t		 child;

	if (pipe2(p, O_CLOEXEC) == -1) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return NULL;
	}
	child = fork();
	if (child == -1) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return NULL;
	}
	if (child == 0) {
		close(p[0]);
		gc_child(pid, start, o, p[1]);
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
	j = xcalloc(1, sizeof *j);
	j->id = jr->next_id++;
	j->child = child;
	j->fd = p[0];
	j->pid = pid;
	j->start = start;
	buf_init(&j->in);
	jr->jobs = xreallocarray(jr->jobs, jr->njobs + 1, sizeof *jr->jobs);
	jr->jobs[jr->njobs++] = j;
	return j;
}

size_t
job_runner_pollfds(const struct job_runner *jr, struct pollfd *p, size_t max)
{
	size_t	i, n = 0;

	for (i = 0; i < jr->njobs && n < max; i++) {
		p[n].fd = jr->jobs[i]->fd;
		p[n].events = POLLIN;
		p[n].revents = 0;
		n++;
	}
	return n;
}

int
job_decode_line(struct job *j, const char *line, size_t len)
{
	json_error_t	 je;
	json_t		*o = json_loadb(line, len, 0, &je), *v;
	int		 ev = 0;
	struct gc_result r;

	if ((v = json_object_get(o, "progress")) != NULL &&
	    json_is_string(v)) {
		snprintf(j->progress, sizeof j->progress, "%s",
		    json_string_value(v));
		ev = JOB_PROGRESS;
	} else if ((v = json_object_get(o, "result")) != NULL &&
	    gc_result_from_json(v, &r) == 0) {
		/* the child speaks for the process it was given, only */
		r.pid = j->pid;
		if (j->start != 0)
			r.start = j->start;
		j->result = r;
		j->have_result = true;
		ev = JOB_RESULT;
	}
	json_decref(o);
	return ev;
}

static void
keep(struct job_runner *jr, const struct job *j)
{
	size_t	i;

	for (i = 0; i < jr->ndone; i++) {
		if (jr->done[i].pid == j->result.pid &&
		    jr->done[i].start == j->result.start)
			break;
	}
	if (i == jr->ndone) {
		jr->done = xreallocarray(jr->done, jr->ndone + 1,
		    sizeof *jr->done);
		jr->ndone++;
	}
	jr->done[i].pid = j->result.pid;
	jr->done[i].start = j->result.start;
	jr->done[i].r = j->result;
}

static void
end(struct job_runner *jr, size_t idx)
{
	struct job	*j = jr->jobs[idx];
	int		 status;

	/* the pipe closes when the child exits: this does not wait long */
	waitpid(j->child, &status, 0);
	if (!j->have_result)
		snprintf(jr->ended_why, sizeof jr->ended_why, "GC pid %d: the "
		    "helper died without a result (%s %d)", j->pid,
		    WIFSIGNALED(status) ? "signal" : "exit status",
		    WIFSIGNALED(status) ? WTERMSIG(status) :
		    WEXITSTATUS(status));
	else
		jr->ended_why[0] = '\0';
	job_free(j);
	memmove(&jr->jobs[idx], &jr->jobs[idx + 1], (jr->njobs - idx - 1) *
	    sizeof *jr->jobs);
	jr->njobs--;
}

int
job_runner_input(struct job_runner *jr, int fd)
{
	struct job	*j = NULL;
	char		 chunk[4096], *nl;
	ssize_t		 n;
	size_t		 i, l;
	int		 ev = 0;

	jr->last = NULL;
	for (i = 0; i < jr->njobs; i++) {
		if (jr->jobs[i]->fd == fd) {
			j = jr->jobs[i];
			break;
		}
	}
	if (j == NULL)
		return 0;
	jr->last = j;
	jr->last_pid = j->pid;
	while ((n = read(fd, chunk, sizeof chunk)) > 0) {
		buf_append(&j->in, chunk, (size_t)n);
		while (j->in.len > 0 && (nl = memchr(j->in.data, '\n',
		    j->in.len)) != NULL) {
			l = (size_t)(nl - j->in.data);
			ev |= job_decode_line(j, j->in.data, l);
			memmove(j->in.data, nl + 1, j->in.len - l - 1);
			j->in.len -= l + 1;
			j->in.data[j->in.len] = '\0';
		}
		if (j->in.len > JOB_MAX_LINE)
			buf_reset(&j->in);
	}
	if (ev & JOB_RESULT)
		keep(jr, j);
	jr->last_start = j->have_result ? j->result.start : j->start;
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		end(jr, i);
		jr->last = NULL;
		ev |= JOB_ENDED;
	}
	return ev;
}

void
job_cancel(struct job *j)
{
	if (j->child > 0 && !j->cancelled)
		kill(j->child, SIGTERM);
	j->cancelled = true;
}

const struct gc_result *
job_result(const struct job_runner *jr, int pid, unsigned long long start)
{
	size_t	i;

	for (i = 0; i < jr->ndone; i++) {
		if (jr->done[i].pid == pid && jr->done[i].start == start)
			return &jr->done[i].r;
	}
	return NULL;
}

struct job *
job_find(const struct job_runner *jr, int pid, unsigned long long start)
{
	size_t	i;

	for (i = 0; i < jr->njobs; i++) {
		if (jr->jobs[i]->pid == pid && jr->jobs[i]->start == start)
			return jr->jobs[i];
	}
	return NULL;
}
