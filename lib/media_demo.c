/*
 * media_demo.c - the demo catalog with media (media_demo.h).
 *
 * Each title's clip is one ffmpeg run: a synthetic source picked from a
 * list of looks (fractal, life, test patterns, gradients, colour bars),
 * turned to a hue of its own, with the title's name drawn large (from a
 * text file, so no name needs escaping) and a sine tone for sound.
 * Episodes share their series' look with their own name drawn.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "actor.h"
#include "db.h"
#include "error.h"
#include "ffmpeg.h"
#include "genre.h"
#include "home.h"
#include "media.h"
#include "media_demo.h"
#include "title.h"
#include "title_io.h"
#include "xalloc.h"

#define FONT "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

struct demo_title {
	const char *name, *genres, *maturity, *director, *cast, *overview;
	int year;
	const char *episodes[3];   /* a series' episodes; NULL for a movie */
};

static const struct demo_title catalog[SF_MEDIA_DEMO_TITLES] = {
	{ "The Fractal Coast", "Documentary", "G", "Ada Moreno", "Lior Katz|Mina Sato",
	  "A voyage along a coastline that never ends, however close you look.", 2021 },
	{ "Signal Lost", "Thriller|Science Fiction", "PG-13", "Tomás Reyes", "Ines Duarte|Sam Okafor",
	  "A radio engineer hears a test pattern that should not exist.", 2019 },
	{ "Colour Bars Forever", "Comedy", "PG", "Greta Lind", "Noah Fischer|Amélie Roux",
	  "The last night of a television station, told by its night shift.", 2016 },
	{ "Game of Life", "Drama|Science Fiction", "PG", "Hugo Baptiste", "Zoë Martin|Kenji Ito",
	  "Four rules, one grid and a family that cannot stop counting.", 2022 },
	{ "Midnight in Gradient", "Romance", "PG-13", "Clara Vidal", "Leo Hart|Sofía Cruz",
	  "Two painters meet where one colour turns into another.", 2018 },
	{ "Rule Thirty", "Mystery", "PG-13", "Jonas Berg", "Ruby Adams|Omar Haddad",
	  "A mathematician finds a pattern in a string of unsolved burglaries.", 2020 },
	{ "The Last Test Card", "Drama", "PG", "Maya Patel", "Theo Grant|Iris Novak",
	  "A retired broadcaster restores the card he drew as a young man.", 2015 },
	{ "Hue and Cry", "Crime|Thriller", "R", "Oscar Lindqvist", "Nina Costa|Max Weber",
	  "A colour-blind detective and a forger who paints in greys.", 2023 },
	{ "Electric Garden", "Animation|Family", "G", "Frances Okoye", "Jules Moreau|Ana Lima",
	  "The plants in a greenhouse light up when nobody is watching.", 2017 },
	{ "Cold Frame", "Horror", "R", "Björn Aalto", "Clara Nyström|Ramón Ortega",
	  "Every frame of an old film hides one face too many.", 2014 },
	{ "Paper Moons", "Drama|Romance", "PG-13", "Agnès Petit", "Hugo Lenz|Maude Blanc",
	  "A printer's daughter and the moon she cuts from every page.", 2012 },
	{ "Seven Oscillators", "Science Fiction", "PG-13", "Kenji Mori", "Sally Quinn|Jack Reed",
	  "Seven engineers, seven signals, one frequency that answers back.", 2024 },
	{ "The Quiet Pixel", "Comedy|Family", "G", "Rosa Bianchi", "Émile Roy|Grace Kim",
	  "A single dead pixel on a stadium screen becomes a national hero.", 2019 },
	{ "Northern Static", "Thriller", "R", "Søren Holm", "Léon Dubois|Amy Chen",
	  "A lighthouse keeper picks up a broadcast from a ship lost in 1953.", 2021 },
	{ "Bright Spiral", "Adventure", "PG", "Inés Navarro", "Marty Cole|Hélène Faure",
	  "Two children follow a spiral painted on every door of their town.", 2013 },
	{ "Velvet Noise", "Music|Drama", "R", "Leo Grant", "Nina Solberg|José Alves",
	  "A band that plays only white noise becomes famous overnight.", 2022 },
	{ "Glass Horizon", "Science Fiction|Adventure", "PG-13", "Ada Moreno", "Sam Okafor|Iris Novak",
	  "A colony ship's window shows a sky that is a few seconds late.", 2025 },
	{ "A Thousand Frames", "Documentary|History", "NR", "Greta Lind", "Kenji Ito",
	  "The story of cinema told one frame a year.", 2011 },
	{ "The Mandelbrot Heist", "Crime|Comedy", "PG-13", "Tomás Reyes", "Zoë Martin|Omar Haddad",
	  "A crew of mathematicians robs a bank whose vault is infinitely deep.", 2018 },
	{ "Wolves of the Grid", "Action|Thriller", "R", "Oscar Lindqvist", "Max Weber|Ruby Adams",
	  "Hackers hunt each other through a city's traffic lights.", 2020 },
	{ "Lonely Waveform", "Drama", "PG-13", "Maya Patel", "Theo Grant|Lucía Romero",
	  "A sound engineer records the last speaker of a language.", 2016 },
	{ "Summer of Sines", "Romance|Comedy", "PG", "Clara Vidal", "Leo Hart|Chloé Girard",
	  "Two rival ice-cream vans and their two rival jingles.", 2023 },
	{ "The Crimson Grid", "War|Drama", "R", "Jonas Berg", "Hugo Lenz|Anna Kowalski",
	  "Codebreakers in a cold house by the sea, 1942.", 2010 },
	{ "Infinite Hallway", "Horror|Mystery", "R", "Björn Aalto", "Amy Chen|Ramón Ortega",
	  "A hotel corridor that grows one door longer every night.", 2024 },
	{ "Little Cellular", "Animation|Family", "G", "Frances Okoye", "Grace Kim|Jules Moreau",
	  "A tiny cell learns the rules that decide whether it lives.", 2015 },
	{ "Western Bars", "Western", "PG-13", "Søren Holm", "Jack Reed|Nina Costa",
	  "A saloon, a sheriff and the first television in the territory.", 2012 },
	{ "Deep Colour", "Documentary", "G", "Inés Navarro", "Sofía Cruz",
	  "How the eye sees colour, from the deep sea to the desert.", 2022 },
	{ "The Hidden Pattern", "Mystery|Thriller", "PG-13", "Agnès Petit", "Émile Roy|Iris Novak",
	  "A quilt maker stitches a map to a crime nobody has reported.", 2017 },
	{ "Saturday Signal", "Comedy", "PG", "Rosa Bianchi", "Marty Cole|Amélie Roux",
	  "A pirate radio station run from a school's boiler room.", 2014 },
	{ "Iron Spectrum", "Action|Science Fiction", "PG-13", "Kenji Mori", "Sam Okafor|Max Weber",
	  "A courier carries a message written in colours only machines can see.", 2025 },
	{ "Rendezvous in Blue", "Romance|Drama", "PG-13", "Leo Grant", "Chloé Girard|Hugo Lenz",
	  "A night train, a blue coat, and a meeting twenty years late.", 2019 },
	{ "Falling Pixels", "Fantasy|Family", "PG", "Ada Moreno", "Zoë Martin|Theo Grant",
	  "Snow that falls in squares, and the girl who catches it.", 2021 },
	{ "The Long Exposure", "Drama|History", "PG-13", "Greta Lind", "Lucía Romero|José Alves",
	  "A photographer keeps one shutter open for a whole war.", 2013 },
	{ "Harbor Lights", "Crime|Drama", "R", "Tomás Reyes", "Nina Solberg|Omar Haddad",
	  "The night harbor master of a port where nothing is what it says.", 2020 },
	{ "Kingdom of Noise", "Fantasy|Adventure", "PG", "Hugo Baptiste", "Jules Moreau|Ana Lima",
	  "A prince must find the one quiet place left in his kingdom.", 2018 },
	{ "Burning Gradient", "Horror", "R", "Oscar Lindqvist", "Ruby Adams|Kenji Ito",
	  "The sunset over a small town has not moved for three days.", 2023 },
	/* Series. */
	{ "Test Pattern Tales", "Comedy|Drama", "TV-PG", "Maya Patel", "Sally Quinn|Leo Hart",
	  "Stories from the people who kept a small station on the air.", 2021,
	  { "Tuning In", "Dead Air", "Sign Off" } },
	{ "The Grid", "Science Fiction|Thriller", "TV-14", "Kenji Mori", "Amy Chen|Sam Okafor",
	  "A city run by a grid of lights, and the night it goes dark.", 2023,
	  { "Power On", "Blackout", "Reboot" } },
	{ "Spiral Mysteries", "Mystery", "TV-14", "Agnès Petit", "Émile Roy|Grace Kim",
	  "A detective who sees the shape of every crime.", 2019,
	  { "The First Turn", "Inward", "The Centre" } },
	{ "Colour School", "Animation|Family", "TV-Y", "Frances Okoye", "Ana Lima|Jules Moreau",
	  "Three colours go to school and learn to mix.", 2022,
	  { "Red Day", "Green Day", "Blue Day" } },
};

/* The look of clip i: a source (its size and rate appended). */
static const char *const looks[] = {
	"mandelbrot=s=640x360:r=25:maxiter=256",
	"life=s=640x360:r=25:mold=10:ratio=0.1:death_color=#101828:life_color=#60d0ff",
	"testsrc2=s=640x360:r=25",
	"gradients=s=640x360:r=25:speed=0.03",
	"smptehdbars=s=640x360:r=25",
	"cellauto=s=640x360:r=25:rule=110:scroll=1",
	"rgbtestsrc=s=640x360:r=25",
	"gradients=s=640x360:r=25:type=radial:speed=0.05:n=4",
};
#define NLOOKS (sizeof(looks) / sizeof(looks[0]))

static int make_clip(const char *dir, int t, int episode, const char *text, char **out)
{
	char *path = sf_xasprintf("%s/clip-%02d-%d.mp4", dir, t + 1, episode);
	char *textfile = sf_xasprintf("%s/clip-%02d-%d.txt", dir, t + 1, episode);
	struct sf_argv a = { 0 };
	struct stat st;
	FILE *fp;
	int rc = 0;

	*out = path;
	if (stat(path, &st) == 0 && st.st_size > 0)
		goto out;
	fp = fopen(textfile, "w");
	if (!fp || fputs(text, fp) < 0 || fclose(fp) != 0) {
		rc = sf_error(SF_EINTERNAL, "cannot write '%s': %s", textfile, strerror(errno));
		goto out;
	}
	sf_argv_add(&a, "-f");
	sf_argv_add(&a, "lavfi");
	sf_argv_add(&a, "-i");
	sf_argv_add(&a, "%s", looks[(size_t)t % NLOOKS]);
	sf_argv_add(&a, "-f");
	sf_argv_add(&a, "lavfi");
	sf_argv_add(&a, "-i");
	sf_argv_add(&a, "sine=frequency=%d:sample_rate=48000", 220 + 20 * t + 60 * episode);
	sf_argv_add(&a, "-t");
	sf_argv_add(&a, "%d", SF_MEDIA_DEMO_CLIP_S);
	sf_argv_add(&a, "-vf");
	sf_argv_add(&a, "format=yuv420p,hue=h=%d:s=1.2,"
		    "drawbox=y=ih/2-50:w=iw:h=100:color=black@0.55:t=fill,"
		    "drawtext=fontfile=" FONT ":textfile=%s:fontsize=34:fontcolor=white:"
		    "x=(w-text_w)/2:y=(h-text_h)/2,"
		    "drawtext=fontfile=" FONT ":text=sf demo:fontsize=16:fontcolor=white@0.8:"
		    "x=w-text_w-12:y=h-text_h-10", (t * 47) % 360, textfile);
	sf_argv_add(&a, "-c:v");
	sf_argv_add(&a, "libx264");
	sf_argv_add(&a, "-preset");
	sf_argv_add(&a, "ultrafast");
	sf_argv_add(&a, "-crf");
	sf_argv_add(&a, "18");
	sf_argv_add(&a, "-c:a");
	sf_argv_add(&a, "aac");
	sf_argv_add(&a, "-shortest");
	sf_argv_add(&a, "-y");
	sf_argv_add(&a, "%s", path);
	rc = sf_ffmpeg_run("demo clip", &a, NULL, NULL);
	sf_argv_release(&a);
	if (rc)
		unlink(path);
out:
	unlink(textfile);
	free(textfile);
	return rc;
}

/* The catalog's JSON lines. */
static char *catalog_jsonl(int n)
{
	char *s = sf_xstrdup("");

	for (int i = 0; i < n; i++) {
		const struct demo_title *d = &catalog[i];
		json_t *t = json_object(), *credits = json_array(), *genres = json_array();
		char *g = sf_xstrdup(d->genres), *save = NULL, *c, *line, *next;
		int order = 0;

		for (char *p = strtok_r(g, "|", &save); p; p = strtok_r(NULL, "|", &save))
			json_array_append_new(genres, json_string(p));
		free(g);
		json_array_append_new(credits, json_pack("{s:s, s:s, s:n, s:i}", "name", d->director,
							 "role", "director", "character", "order", 0));
		c = sf_xstrdup(d->cast);
		for (char *p = strtok_r(c, "|", &save); p; p = strtok_r(NULL, "|", &save))
			json_array_append_new(credits, json_pack("{s:s, s:s, s:n, s:i}", "name", p,
								 "role", "cast", "character",
								 "order", order++));
		free(c);
		json_object_set_new(t, "kind", json_string(d->episodes[0] ? "series" : "movie"));
		json_object_set_new(t, "title", json_string(d->name));
		json_object_set_new(t, "overview", json_string(d->overview));
		json_object_set_new(t, "year", json_integer(d->year));
		json_object_set_new(t, "maturity", json_string(d->maturity));
		json_object_set_new(t, "genres", genres);
		json_object_set_new(t, "original_language", json_string("en"));
		json_object_set_new(t, "credits", credits);
		json_object_set_new(t, "external_id", json_sprintf("sfmedia:%02d", i + 1));
		json_object_set_new(t, "popularity", json_real(100.0 / (i + 1)));
		json_object_set_new(t, "status", json_string("published"));
		if (d->episodes[0]) {
			json_t *eps = json_array();

			for (int e = 0; e < 3; e++)
				json_array_append_new(eps, json_pack("{s:i, s:s, s:i}", "number", e + 1,
								     "name", d->episodes[e],
								     "runtime_minutes", 1));
			json_object_set_new(t, "seasons", json_pack("[{s:i, s:s, s:o}]", "number", 1,
								     "name", "Season 1",
								     "episodes", eps));
		} else {
			json_object_set_new(t, "runtime_minutes", json_integer(1));
		}
		line = json_dumps(t, JSON_COMPACT);
		next = sf_xasprintf("%s%s\n", s, line);
		free(s);
		free(line);
		s = next;
		json_decref(t);
	}
	return s;
}

static int add_genres(struct sf_db *db, const struct sf_actor *actor, int n)
{
	for (int i = 0; i < n; i++) {
		char *g = sf_xstrdup(catalog[i].genres), *save = NULL;
		int rc = 0;

		for (char *p = strtok_r(g, "|", &save); p && !rc; p = strtok_r(NULL, "|", &save)) {
			json_t *out = NULL;

			rc = sf_genre_add(db, actor, p, &out);
			json_decref(out);
			if (rc == SF_ECONFLICT)
				rc = 0;
		}
		free(g);
		if (rc)
			return rc;
	}
	return 0;
}

/* 1 if the playable already has a queued, encoding or ready asset. */
static int has_asset(struct sf_db *db, const char *ref, int season, int episode)
{
	char s[SF_INT_STR_MAX], e[SF_INT_STR_MAX];
	PGresult *res = NULL;
	int rc = sf_db_query(db, &res, "SELECT count(*) AS n FROM media_assets a"
			     " JOIN titles t ON t.id = a.title_id"
			     " LEFT JOIN episodes ep ON ep.id = a.episode_id"
			     " LEFT JOIN seasons sn ON sn.id = ep.season_id"
			     " WHERE t.external_id = $1 AND a.status <> 'failed'"
			     " AND ($2::int = 0 AND a.episode_id IS NULL"
			     "      OR sn.number = $2::int AND ep.number = $3::int)",
			     SF_ARGS(ref, sf_db_fmt_int(s, season), sf_db_fmt_int(e, episode)));

	if (!rc)
		rc = sf_db_int(res, 0, "n") > 0;
	PQclear(res);
	return rc;
}

int sf_media_demo_load(struct sf_db *db, const struct sf_actor *actor, int titles,
		       sf_media_demo_progress_fn *progress, void *arg, json_t **out)
{
	struct sf_title_import_opts o = { .format = SF_FORMAT_JSONL, .name = "demo catalog" };
	struct sf_title_import_result r = { 0 };
	char *text = NULL, *home = NULL, *dir = NULL;
	long long queued = 0, skipped = 0, movies = 0, series = 0, episodes = 0, clips = 0, done = 0;
	FILE *fp = NULL;
	int rc = sf_actor_require(actor, SF_PERM_MANAGE_CATALOG);

	if (rc)
		return rc;
	if (titles < 1 || titles > SF_MEDIA_DEMO_TITLES)
		return sf_error(SF_EINVAL, "--titles '%d': not a whole number from 1 to %d", titles,
				SF_MEDIA_DEMO_TITLES);
	if (access(FONT, R_OK) < 0)
		return sf_error(SF_EUNAVAIL, "font '%s': %s (install fonts-dejavu-core)", FONT,
				strerror(errno));
	if (progress)
		progress(arg, "catalog", 0, 1);
	if ((rc = add_genres(db, actor, titles)))
		return rc;
	text = catalog_jsonl(titles);
	fp = fmemopen(text, strlen(text), "r");
	rc = fp ? sf_title_import(db, actor, fp, &o, &r)
		: sf_error(SF_EINTERNAL, "demo catalog: %s", strerror(errno));
	if (fp)
		fclose(fp);
	sf_title_import_result_release(&r);
	if (rc)
		goto out;
	home = sf_home_dir();
	dir = sf_xasprintf("%s/demo-clips", home);
	if ((rc = sf_home_mkdirs(dir, 0755)))
		goto out;
	for (int i = 0; i < titles; i++)
		clips += catalog[i].episodes[0] ? 3 : 1;
	for (int i = 0; i < titles && !rc; i++) {
		const struct demo_title *d = &catalog[i];
		char ref[32];
		int n = d->episodes[0] ? 3 : 1;

		snprintf(ref, sizeof(ref), "sfmedia:%02d", i + 1);
		if (d->episodes[0])
			series++, episodes += 3;
		else
			movies++;
		for (int e = 0; e < n && !rc; e++) {
			char season[4] = "1", number[4], *clip = NULL, *label;
			struct sf_media_playable_ref p = { ref, d->episodes[0] ? season : NULL, NULL };
			json_t *a = NULL;

			snprintf(number, sizeof(number), "%d", e + 1);
			if (d->episodes[0])
				p.episode = number;
			rc = has_asset(db, ref, d->episodes[0] ? 1 : 0, d->episodes[0] ? e + 1 : 0);
			if (rc < 0)
				break;
			if (rc == 1) {
				rc = 0;
				skipped++;
				done++;
				continue;
			}
			label = d->episodes[0] ? sf_xasprintf("%s\n%d. %s", d->name, e + 1, d->episodes[e])
				: sf_xstrdup(d->name);
			rc = make_clip(dir, i, d->episodes[0] ? e + 1 : 0, label, &clip);
			free(label);
			if (!rc)
				rc = sf_media_add(db, actor, &p, clip, "standard", &a, NULL);
			json_decref(a);
			free(clip);
			if (!rc)
				queued++;
			if (progress)
				progress(arg, "clips", ++done, clips);
		}
	}
	if (!rc)
		*out = json_pack("{s:i, s:I, s:I, s:I, s:I, s:I}", "titles", titles, "movies",
				 (json_int_t)movies, "series", (json_int_t)series, "episodes",
				 (json_int_t)episodes, "queued", (json_int_t)queued, "skipped",
				 (json_int_t)skipped);
out:
	free(text);
	free(home);
	free(dir);
	return rc;
}
