/*
 * moderation.h - reports of reviews, and what moderators decide.
 *
 * A profile reports a review it sees, once, with a reason (1 to
 * SF_REPORT_REASON_MAX characters); not its own.  From then on the
 * review is hidden from every viewer but its author (review.h) until a
 * moderator decides: approving it resolves its open reports and shows it
 * again (a later report by another profile hides it again); removing it
 * deletes it with its votes and reports.  Both need SF_PERM_MODERATE
 * (moderator or admin; the operating-system user may too), need a reason,
 * and are audited as review.approve and review.remove (entity "review",
 * old: the review with its open reports, new: the decision and reason).
 * Reports themselves are not audited: the queue holds them.
 */
#ifndef SF_MODERATION_H
#define SF_MODERATION_H

#include <jansson.h>

struct sf_db;
struct sf_actor;

#define SF_REPORT_REASON_MAX 500
#define SF_QUEUE_LIMIT_DEFAULT 50
#define SF_QUEUE_LIMIT_MAX 1000

/* The profile reports review id; *out is the report
 * {id, review_id, profile_id, reason, created_at}.  A second report by
 * the same profile is SF_ECONFLICT; its own review SF_EINVAL. */
int sf_moderation_report(struct sf_db *db, const struct sf_actor *actor, const char *profile,
			 const char *id, const char *reason, json_t **out);

/* The reviews with open reports, the longest waiting first (limit 0:
 * 50): an array of {review_id, title_id, title, profile_id, author,
 * account, body, reports, reasons, first_reported_at}. */
int sf_moderation_queue(struct sf_db *db, const struct sf_actor *actor, long long limit,
			json_t **out);

/* Approves (approve 1) or removes (approve 0) review id; *out is
 * {review_id, decision, reason, reports, review} with reports how many
 * open reports it resolved and review the review as it was.  Approving a
 * review with no open report is SF_ECONFLICT. */
int sf_moderation_decide(struct sf_db *db, const struct sf_actor *actor, const char *id,
			 int approve, const char *reason, json_t **out);

#endif
