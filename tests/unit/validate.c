/*
 * validate.c - the pure checks every command and route relies on: UTF-8,
 * field lengths, emails, usernames, passwords, PINs, language tags,
 * maturity ratings, roles, and the error table.
 */
#include <string.h>

#include "account.h"
#include "error.h"
#include "maturity.h"
#include "password.h"
#include "profile.h"
#include "role.h"
#include "tap.h"
#include "text.h"

static void utf8(void)
{
	ok(sf_utf8_valid("Amélie", strlen("Amélie")), "UTF-8: accented text is valid");
	ok(sf_utf8_valid("日本語", strlen("日本語")), "UTF-8: CJK is valid");
	ok(!sf_utf8_valid("\xff", 1), "UTF-8: a lone 0xff is not");
	ok(!sf_utf8_valid("\xc0\xaf", 2), "UTF-8: an overlong '/' is not");
	ok(!sf_utf8_valid("\xed\xa0\x80", 3), "UTF-8: a surrogate is not");
	ok(!sf_utf8_valid("\xe2\x82", 2), "UTF-8: a truncated sequence is not");
	is_int((long long)sf_utf8_chars("Amélie"), 6, "UTF-8: characters, not bytes, are counted");
}

static void text(void)
{
	char long51[52];

	memset(long51, 'x', 51);
	long51[51] = '\0';
	is_int(sf_text_check("name", "ok", 1, 50), 0, "text: a short name passes");
	is_int(sf_text_check("name", "", 1, 50), SF_EINVAL, "text: empty is rejected");
	ok(strstr(sf_error_message(), "must not be empty") != NULL, "text: ...saying so");
	is_int(sf_text_check("name", long51, 1, 50), SF_EINVAL, "text: 51 characters is too long");
	ok(strstr(sf_error_message(), "longer than 50") != NULL, "text: ...saying the limit");
	is_int(sf_text_check("name", "a\nb", 1, 50), SF_EINVAL, "text: a newline is rejected");
	is_int(sf_text_check("name", "\xff", 1, 50), SF_EINVAL, "text: bad UTF-8 is rejected");
	ok(strchr(sf_error_message(), '\xff') == NULL, "text: ...and not echoed raw");
	is_str(sf_text_quote("a\x01" "b"), "a?b", "quote: control characters become '?'");
	ok(strlen(sf_text_quote(long51)) < 51, "quote: long values are shortened");
}

static void ids(void)
{
	long long id = 0;

	ok(sf_text_parse_id("42", &id) && id == 42, "id: 42 parses");
	ok(!sf_text_parse_id("0", &id), "id: 0 is not an id");
	ok(!sf_text_parse_id("-1", &id), "id: negative is not an id");
	ok(!sf_text_parse_id("99999999999999999999", &id), "id: overflow is not an id");
	ok(!sf_text_parse_id("4x", &id), "id: trailing junk is not an id");
}

static void errors(void)
{
	static const struct { int code, exit_status, http; const char *name; } want[] = {
		{ SF_OK, 0, 200, "ok" }, { SF_EINVAL, 2, 400, "invalid" },
		{ SF_EUNAUTH, 77, 401, "unauthenticated" }, { SF_EFORBIDDEN, 77, 403, "forbidden" },
		{ SF_ENOTFOUND, 3, 404, "not_found" }, { SF_ECONFLICT, 4, 409, "conflict" },
		{ SF_ERATELIMIT, 75, 429, "rate_limited" }, { SF_EUNAVAIL, 69, 503, "unavailable" },
		{ SF_EINTERNAL, 1, 500, "internal" },
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		is_int(sf_error_exit_status(want[i].code), want[i].exit_status,
		       "error table: %s exits %d", want[i].name, want[i].exit_status);
		is_int(sf_error_http_status(want[i].code), want[i].http,
		       "error table: %s is HTTP %d", want[i].name, want[i].http);
		is_str(sf_error_name(want[i].code), want[i].name, "error table: %s's name",
		       want[i].name);
	}
	sf_error(SF_EINVAL, "bad\nvalue");
	ok(!strchr(sf_error_message(), '\n'), "error messages stay on one line");
	sf_error(SF_ENOTFOUND, "account 'x': not found");
	sf_error_wrap(SF_ENOTFOUND, "--as");
	is_str(sf_error_message(), "--as: account 'x': not found", "wrap adds context in front");
}

static void emails(void)
{
	const char *good[] = { "a@example.com", "first.last+tag@sub.example.co.uk", "A@B.io",
			       "x_y-z@example-site.org" };
	const char *bad[] = { "", "plain", "@example.com", "a@", "a@@example.com", "a@example",
			      "a b@example.com", "a@-example.com", "a@example-.com",
			      ".a@example.com", "a..b@example.com", "a@example.123",
			      "a/b@example.com", "a@exa_mple.com" };

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		is_int(sf_email_check(good[i]), 0, "email '%s' is accepted", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		is_int(sf_email_check(bad[i]), SF_EINVAL, "email '%s' is rejected", bad[i]);
	ok(strstr(sf_error_message(), "a@exa_mple.com") != NULL, "email: the message names it");
}

static void usernames(void)
{
	is_int(sf_username_check("alice"), 0, "username alice is accepted");
	is_int(sf_username_check("a.b_c-9"), 0, "username with . _ - is accepted");
	is_int(sf_username_check("42"), SF_EINVAL, "an all-digit username is rejected");
	is_int(sf_username_check("-a"), SF_EINVAL, "a username starting with '-' is rejected");
	is_int(sf_username_check("a@b"), SF_EINVAL, "a username with '@' is rejected");
	is_int(sf_username_check("abcdefghijklmnopqrstuvwxyz0123456"), SF_EINVAL,
	       "a 33-character username is rejected");
}

static void passwords(void)
{
	char hash[SF_HASH_MAX];

	is_int(sf_password_check("Secret123"), 0, "password Secret123 meets the policy");
	is_int(sf_password_check("Sec1"), SF_EINVAL, "a short password is rejected");
	ok(strstr(sf_error_message(), "shorter than 8") != NULL, "...saying why");
	ok(!strstr(sf_error_message(), "Sec1"), "...without repeating the password");
	is_int(sf_password_check("secret123"), SF_EINVAL, "a password without upper case is rejected");
	is_int(sf_password_check("SecretABC"), SF_EINVAL, "a password without a digit is rejected");
	is_int(sf_password_check("Secret123\xff"), SF_EINVAL, "a non-UTF-8 password is rejected");
	is_int(sf_password_hash("Secret123", hash), 0, "hashing works");
	ok(!strncmp(hash, "$argon2id$", 10), "the hash is argon2id");
	ok(strstr(hash, "m=65536") && strstr(hash, "t=2"), "with at least OWASP's cost (m, t)");
	ok(sf_password_verify(hash, "Secret123"), "the right password verifies");
	ok(!sf_password_verify(hash, "Secret124"), "a wrong password does not");
	ok(!sf_password_verify("garbage", "Secret123"), "a malformed hash verifies nothing");
	is_int(sf_pin_check("0420"), 0, "PIN 0420 is accepted");
	is_int(sf_pin_check("042"), SF_EINVAL, "a 3-digit PIN is rejected");
	is_int(sf_pin_check("04a0"), SF_EINVAL, "a PIN with a letter is rejected");
}

static void languages(void)
{
	char out[16];

	ok(!sf_language_check("en", out) && !strcmp(out, "en"), "language en");
	ok(!sf_language_check("PT-br", out) && !strcmp(out, "pt-BR"), "language PT-br -> pt-BR");
	ok(!sf_language_check("es-419", out) && !strcmp(out, "es-419"), "language es-419");
	is_int(sf_language_check("english", out), SF_EINVAL, "language english is rejected");
	is_int(sf_language_check("e", out), SF_EINVAL, "language e is rejected");
	is_int(sf_language_check("en-", out), SF_EINVAL, "language en- is rejected");
	is_int(sf_language_check("en-USA", out), SF_EINVAL, "language en-USA is rejected");
}

static void maturity(void)
{
	int g = 0, tvy = 0, pg13 = 0, tv14 = 0, r = 0, nc17 = 0, tvma = 0, lvl = 0;

	sf_maturity_parse("G", &g);
	sf_maturity_parse("TV-Y", &tvy);
	sf_maturity_parse("pg-13", &pg13);
	sf_maturity_parse("TV-14", &tv14);
	sf_maturity_parse("R", &r);
	sf_maturity_parse("NC-17", &nc17);
	sf_maturity_parse("tv-ma", &tvma);
	ok(g == tvy && g == 1, "maturity: G and TV-Y are the bottom rung");
	ok(nc17 == tvma && nc17 == 6, "maturity: NC-17 and TV-MA are the top rung");
	ok(pg13 == tv14 && g < pg13 && pg13 < r && r < nc17, "maturity: the ladder is ordered");
	is_int(sf_maturity_parse("X", &lvl), SF_EINVAL, "maturity: X is not a rating");
	is_str(sf_maturity_label(4), "PG-13", "maturity: level 4 reads PG-13");
	ok(SF_MATURITY_KIDS_MAX == 3 && !strcmp(sf_maturity_label(SF_MATURITY_KIDS_MAX), "PG"),
	   "maturity: kids are capped at PG");
}

static void roles(void)
{
	ok(sf_role_can("admin", SF_PERM_GRANT_ADMIN), "role: admin may grant admin");
	ok(sf_role_can("user_manager", SF_PERM_MANAGE_ACCOUNTS), "role: user_manager manages accounts");
	ok(!sf_role_can("user_manager", SF_PERM_GRANT_ADMIN), "role: user_manager may not grant admin");
	ok(!sf_role_can("viewer", SF_PERM_MANAGE_ACCOUNTS), "role: viewer manages nothing");
	ok(sf_role_can("moderator", SF_PERM_MODERATE), "role: moderator moderates");
	ok(!sf_role_can("nobody", SF_PERM_MODERATE), "role: an unknown role holds nothing");
	is_int(sf_role_check("superuser"), SF_EINVAL, "role: superuser is not a role");
	ok(strstr(sf_error_message(), "'superuser'") != NULL, "role: ...and the message names it");
}

int main(void)
{
	utf8();
	text();
	ids();
	errors();
	emails();
	usernames();
	passwords();
	languages();
	maturity();
	roles();
	return done_testing();
}
