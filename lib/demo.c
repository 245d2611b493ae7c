/*
 * demo.c - the scale generator behind "sf demo generate".
 *
 * Determinism.  Title number i (1..N) gets the key k = hashint8extended(i,
 * seed); every value of the title is hashint8extended(k, salt) for a salt
 * of its own, turned into a uniform number or a pick from a word list.
 * Seasons, episodes and credits derive their keys from their title's.  No
 * random(), no dependence on the plan, the number of workers or the clock
 * (except the availability windows, which are placed around the day of
 * generation), so the same seed and sizes give the same rows; in an empty
 * database, or with replace, the same ids too, because rows are inserted
 * in a fixed order and replace restarts the identities.
 *
 * Speed.  Nothing crosses the wire but the word lists: each table is
 * filled by one INSERT ... SELECT over generate_series (big ones in
 * chunks, for the progress display), using small SQL functions in pg_temp
 * that the planner inlines.  As PostgreSQL's "Populating a Database"
 * advises, the foreign keys of the tables being loaded and their indexes
 * that back no constraint are dropped first and made again at the end,
 * which checks every row at once instead of one trigger per row; this is
 * done only when the user owns those tables, and all of it inside the one
 * transaction, so other sessions see the old catalog or the new one.
 *
 * Plausibility.  Genres, languages, maturity ratings and title templates
 * are drawn with realistic weights; words are drawn with a skew towards
 * the front of their lists, so common words repeat ("The Last Kingdom"
 * exists many times over) and search ranking matters; years lean towards
 * recent decades; popularity follows a Zipf-like long tail; some words,
 * names and original titles carry accents or other scripts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actor.h"
#include "audit.h"
#include "db.h"
#include "demo.h"
#include "demo_viewers.h"
#include "error.h"
#include "media.h"
#include "text.h"
#include "xalloc.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- word lists ------------------------------------------------------
 * The most common words come first: picks lean towards the front. */

static const char *const adjectives[] = {
	"Last", "Dark", "Lost", "Silent", "Secret", "Little", "Great", "Wild", "Broken",
	"Hidden", "Golden", "Final", "Black", "Red", "Blue", "White", "Long", "Cold", "Deep",
	"Lonely", "Eternal", "Crimson", "Frozen", "Burning", "Forgotten", "Sacred", "Hollow",
	"Savage", "Quiet", "Bright", "Endless", "Fallen", "Perfect", "Beautiful", "Strange",
	"Invisible", "Distant", "Brave", "Sweet", "Bitter", "Naïve", "Fatal", "Electric",
	"Iron", "Velvet", "Glass", "Paper", "Stolen", "Borrowed", "Wicked", "Tender",
	"Restless", "Reckless", "Hungry", "Sleepless", "Fearless", "Infinite", "Ancient",
	"Modern", "Northern", "Southern", "Lucky", "Blind", "Rising", "Falling", "Rogue",
	"Royal", "Sudden", "Empty", "Blasé",
};

static const char *const nouns[] = {
	"Night", "Love", "Kingdom", "Heart", "River", "Road", "City", "Storm", "Shadow",
	"House", "Game", "Sky", "Star", "Dream", "Fire", "Garden", "Moon", "Sea", "Summer",
	"Winter", "Island", "Promise", "Truth", "Ghost", "Empire", "Mirror", "Journey", "War",
	"Girl", "Man", "Woman", "Child", "King", "Queen", "Hunter", "Stranger", "Door", "Key",
	"Letter", "Song", "Dance", "Horizon", "Frontier", "Harbor", "Forest", "Desert",
	"Mountain", "Valley", "Bridge", "Machine", "Signal", "Code", "Legacy", "Revenge",
	"Redemption", "Café", "Fiancée", "Rendezvous", "Déjà Vu", "Soirée", "Matinée",
	"Façade", "Piñata", "Crème Brûlée", "Señorita", "Odyssey", "Paradise", "Midnight",
	"Silence", "Wolf", "Lion", "Dragon", "Angel", "Devil", "Thief", "Spy", "Soldier",
	"Doctor", "Witness", "Heist", "Tide", "Flame", "Crown", "Sword", "Tower", "Castle",
	"Station", "Hotel", "Train", "Line", "Edge", "Point", "Hour", "Day", "Year",
};

static const char *const plurals[] = {
	"Days", "Nights", "Brothers", "Sisters", "Kings", "Samurai", "Seconds", "Wives",
	"Lives", "Roads", "Letters", "Doors", "Secrets", "Ghosts", "Stars", "Summers",
	"Winters", "Weddings", "Angels", "Wolves", "Thieves", "Strangers", "Lovers",
	"Children", "Soldiers", "Hours", "Years", "Streets", "Shadows", "Dreams", "Waves",
	"Bridges", "Monkeys", "Men", "Women", "Friends", "Sons", "Daughters", "Spies", "Storms",
};

static const char *const places[] = {
	"Paris", "Rome", "Tokyo", "Berlin", "Havana", "Brooklyn", "Casablanca", "Vienna",
	"Lisbon", "Istanbul", "São Paulo", "Montréal", "Zürich", "Reykjavík", "Kraków",
	"Málaga", "Bogotá", "Cádiz", "Genève", "Seoul", "Mumbai", "Cairo", "Marrakech",
	"Venice", "Prague", "Budapest", "Dublin", "Manhattan", "Tangier", "Shanghai",
	"Hong Kong", "Buenos Aires", "Mexico City", "Nice", "Köln", "Malmö", "Tromsø",
	"Québec", "Cancún", "Medellín", "Saint-Tropez",
};

/* Given names for titles: "Amélie", "Finding Zoë", "When Harry Met Sally". */
static const char *const title_names[] = {
	"Amélie", "Zoë", "Chloé", "Renée", "José", "Inés", "Sofía", "Noémie", "Hélène",
	"François", "Björn", "Søren", "Anna", "Max", "Grace", "Amy", "Harry", "Sally", "Jack",
	"Rosa", "Leo", "Frances", "Lucía", "Maya", "Oscar", "Theo", "Clara", "Hugo", "Marty",
	"Ruby", "Iris", "Nina", "Elle", "Jules", "Émile", "Léon", "Mathilde", "Agnès", "Ramón",
	"Maude",
};

static const char *const verbings[] = {
	"Finding", "Saving", "Chasing", "Loving", "Becoming", "Leaving", "Meeting",
	"Waiting for", "Searching for", "Remembering", "Raising", "Escaping", "Dancing with",
	"Killing", "Forgetting", "Following", "Kissing", "Hunting", "Burying", "Marrying",
};

static const char *const numbers[] = {
	"Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven",
	"Twelve", "Thirteen", "Forty", "Hundred", "Thousand",
};

static const char *const sequels[] = {
	" 2", " 3", " 4", " II", " III", ": Part II", " Returns", " Reloaded",
	": Resurrection", ": Origins", ": The Beginning", " Rising",
};

static const char *const prepositions[] = {
	"After", "Before", "Beyond", "Under", "Beneath", "Across", "Into", "Behind",
	"Against", "Inside", "Through", "Above",
};

/* Title templates (see pg_temp.phrase below) and their weights. */
static const int title_templates[] = {
	18,  /*  1 The {adj} {noun} */
	6,   /*  2 {noun} in {place} */
	8,   /*  3 {noun} of the {noun} */
	8,   /*  4 The {noun} */
	14,  /*  5 {adj} {noun} */
	4,   /*  6 {noun} and {noun} */
	4,   /*  7 {name} */
	5,   /*  8 {verbing} {name} */
	5,   /*  9 {number} {plural} */
	4,   /* 10 The {noun} of {place} */
	5,   /* 11 {adj} {noun}{sequel} */
	3,   /* 12 A {noun} in {place} */
	1,   /* 13 When {name} Met {name} */
	3,   /* 14 A {noun} for {name} */
	6,   /* 15 The {adj} {plural} */
	4,   /* 16 {plural} of {place} */
	7,   /* 17 {prep} the {noun} */
};

/* Episode names use the same templates, without articles or sequels. */
static const int episode_templates[] = {
	30, 4, 15, 15, 8, 3, 2, 6, 2, 2, 0, 0, 0, 0, 6, 0, 10,
};

/* Overviews: "{A cadj} {role} {verb} {object} in {place}. {second}" */
static const char *const character_adjectives[] = {
	"A reluctant", "A retired", "A brilliant", "A troubled", "A young", "An ambitious",
	"A lonely", "A stubborn", "A fearless", "A washed-up", "An idealistic", "A grieving",
	"A disgraced", "A shy", "A charming", "A cynical", "A rookie", "An aging", "A gifted",
	"A restless", "A naïve", "A mild-mannered", "A hot-headed", "A soft-spoken",
};

static const char *const roles[] = {
	"detective", "schoolteacher", "widow", "boxer", "chef", "sheriff", "marine biologist",
	"jazz pianist", "surgeon", "hacker", "father", "single mother", "war veteran",
	"actress", "con artist", "lighthouse keeper", "cop", "prince", "botanist",
	"journalist", "lawyer", "nun", "astronaut", "bank robber", "ballerina", "taxi driver",
	"architect", "farmer", "priest", "archaeologist", "violinist", "pilot", "nurse", "spy",
	"hitman", "novelist", "photographer", "mechanic", "sommelier", "pâtissier",
};

static const char *const verbs[] = {
	"must uncover", "sets out to expose", "is drawn into", "stumbles upon",
	"fights to stop", "races to prevent", "tries to escape", "becomes obsessed with",
	"struggles to hide", "agrees to investigate", "is haunted by",
	"teams up with a stranger to solve", "falls for the one person connected to",
	"gets caught up in", "inherits",
};

static const char *const objects[] = {
	"a decades-old conspiracy", "a string of disappearances", "a family secret",
	"a forbidden love affair", "an ancient curse", "a plot to steal a priceless painting",
	"the truth about a long-lost sibling", "a deadly outbreak", "a dangerous obsession",
	"a rival's sabotage", "a mysterious letter",
	"a murder that no one else believes happened", "an underground fight club",
	"a failing vineyard", "a haunted house", "a royal scandal", "a heist gone wrong",
	"a cult", "a time loop", "a crumbling family business",
};

static const char *const overview_places[] = {
	"a small coastal town", "1920s Paris", "post-war Berlin", "São Paulo",
	"a remote space station", "the Scottish Highlands", "Tokyo",
	"a crumbling Victorian mansion", "the Australian outback", "Montréal", "Reykjavík",
	"a New York high school", "the court of Versailles", "Marseille", "Kraków", "Córdoba",
	"Zürich", "a sleepy village in Provence", "Mexico City", "a Mumbai film studio",
	"the Arctic Circle", "a Texas border town", "medieval Kyoto", "a Seoul tech start-up",
	"1960s Havana",
};

static const char *const second_sentences[] = {
	"But nothing is what it seems.", "Time is running out.", "Old wounds reopen.",
	"Some secrets refuse to stay buried.", "Only one of them can win.",
	"The closer they get, the more dangerous it becomes.", "Based on a true story.",
	"What begins as a favor becomes a fight for survival.",
	"Love, it turns out, is the hardest part.",
	"A story of courage, friendship and second chances.", "Nobody leaves unchanged.",
	"The past is never really past.",
};

static const char *const taglines[] = {
	"Every family has a secret.", "Some doors should stay closed.",
	"The truth will find you.", "Love is a battlefield.", "One night can change everything.",
	"Nobody is innocent.", "Run.", "Trust no one.", "Home is where the heart breaks.",
	"The adventure of a lifetime.", "Revenge is a dish best served cold.",
	"Fear has a new name.", "It's never too late.", "Based on a true story.",
	"Some promises are meant to be broken.", "The end is only the beginning.",
	"Dare to dream.", "Nothing stays buried forever.", "Laugh. Cry. Repeat.",
	"Never look back.",
};

/* People: first x last names, then the same again with a middle initial
 * per letter, so up to 27 x 200 x 250 unique names. */
static const char *const first_names[] = {
	"James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda",
	"William", "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica",
	"Thomas", "Sarah", "Charles", "Karen", "Christopher", "Nancy", "Daniel", "Lisa",
	"Matthew", "Betty", "Anthony", "Margaret", "Mark", "Sandra", "Donald", "Ashley",
	"Steven", "Kimberly", "Paul", "Emily", "Andrew", "Donna", "Joshua", "Michelle",
	"Kenneth", "Dorothy", "Kevin", "Carol", "Brian", "Amanda", "George", "Melissa",
	"Edward", "Deborah", "Ronald", "Stephanie", "Timothy", "Rebecca", "Jason", "Sharon",
	"Jeffrey", "Laura", "Ryan", "Cynthia", "Jacob", "Kathleen", "Gary", "Amy", "Nicholas",
	"Shirley", "Eric", "Angela", "Jonathan", "Helen", "Stephen", "Anna", "Larry", "Brenda",
	"Justin", "Pamela", "Scott", "Nicole", "Brandon", "Emma", "Benjamin", "Samantha",
	"Samuel", "Katherine", "Gregory", "Christine", "Frank", "Debra", "Alexander", "Rachel",
	"Raymond", "Catherine", "Patrick", "Carolyn", "Jack", "Janet", "Dennis", "Ruth",
	"Jerry", "Maria", "José", "Zoë", "Chloé", "Renée", "Amélie", "Noémie", "Hélène",
	"François", "Inés", "Sofía", "Raúl", "Ángel", "Jürgen", "Björn", "Søren", "Małgorzata",
	"Łukasz", "Dóra", "Ólafur", "Siobhán", "Seán", "Aoife", "Joaquín", "Agustín", "Mónica",
	"Andrés", "Élodie", "Loïc", "Maël", "Anaïs", "Gaël", "Jérôme", "Bérénice", "Clémence",
	"Thérèse", "Léa", "Zoé", "Håkon", "Åsa", "Göran", "Yuki", "Haruto", "Sakura", "Hiroshi",
	"Min-jun", "Seo-yeon", "Ji-woo", "Wei", "Mei", "Jun", "Priya", "Arjun", "Ananya",
	"Rohan", "Aisha", "Omar", "Fatima", "Yusuf", "Leila", "Karim", "Chidi", "Ngozi",
	"Kwame", "Amara", "Thabo", "Zanele", "Dmitri", "Olga", "Ivan", "Natalia", "Tomasz",
	"Katarzyna", "Mateo", "Valentina", "Santiago", "Camila", "Diego", "Lucía", "Gabriel",
	"Isabela", "Lars", "Ingrid", "Nils", "Astrid", "Finn", "Freya", "Oskar", "Elin",
	"Pieter", "Sanne", "Giulia", "Marco", "Alessandro", "Chiara", "Luca", "Francesca",
	"Hugo", "Manon", "Théo", "Camille",
};

static const char *const last_names[] = {
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
	"Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
	"Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
	"Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young",
	"Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green",
	"Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter",
	"Roberts", "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Schäfer",
	"Köhler", "Groß", "Krüger", "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard",
	"Bonnet", "Dupré", "Mercier", "Rousseau", "Fontaine", "Núñez", "Jiménez", "Peña",
	"Muñoz", "Ibáñez", "Gutiérrez", "Sáenz", "Domínguez", "Vázquez", "Álvarez", "Rossi",
	"Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino",
	"Greco", "Bruno", "Gallo", "Conti", "De Luca", "Costa", "Giordano", "Mancini", "Rizzo",
	"Lombardi", "Moretti", "Silva", "Santos", "Oliveira", "Souza", "Pereira", "Lima",
	"Carvalho", "Ferreira", "Almeida", "Gonçalves", "Ribeiro", "Araújo", "Rocha",
	"Barbosa", "Cardoso", "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson",
	"Larsson", "Olsen", "Hansen", "Jensen", "Nielsen", "Pedersen", "Østergaard",
	"Sørensen", "Lindqvist", "Håkansson", "Björk", "Nyström", "Åberg", "Virtanen",
	"Korhonen", "Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski",
	"Zieliński", "Szymański", "Dąbrowski", "Kozłowski", "Novák", "Dvořák", "Horváth",
	"Kovač", "Šimić", "Petrović", "Jovanović", "Popescu", "Ionescu", "Papadopoulos",
	"Tanaka", "Suzuki", "Takahashi", "Watanabe", "Ito", "Yamamoto", "Nakamura",
	"Kobayashi", "Sato", "Kato", "Kim", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon",
	"Jang", "Lim", "Han", "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao",
	"Wu", "Zhou", "Patel", "Singh", "Sharma", "Gupta", "Kumar", "Reddy", "Iyer", "Khan",
	"Chowdhury", "Mehta", "O'Brien", "O'Connor", "Murphy", "Kelly", "Byrne", "Walsh",
	"McCarthy", "Gallagher", "Doyle", "MacLeod", "Fitzgerald", "Sullivan", "Quinn",
	"Brennan", "Donnelly", "Van der Berg", "Van Dijk", "De Vries", "Bakker", "Janssen",
	"Visser", "Smit", "Meijer", "De Jong", "Mulder", "Okafor", "Adeyemi", "Mensah",
	"Okonkwo", "Nwosu", "Diallo", "Traoré", "Ndiaye", "Mbeki", "Dlamini", "Haddad",
	"Khoury", "Nasser", "Saleh", "Aziz", "Yilmaz", "Öztürk", "Kaya", "Demir", "Şahin",
	"Ivanov", "Smirnov", "Kuznetsov", "Popov", "Sokolov", "Morozov", "Volkov", "Novikov",
	"Fedorov", "Pavlov",
};

/* Characters: "Detective Park", or a part with no name. */
static const char *const character_titles[] = {
	"Detective", "Dr.", "Captain", "Agent", "Sergeant", "Professor", "Mrs.", "Mr.",
	"Father", "Sister", "Judge", "Officer",
};

static const char *const character_parts[] = {
	"The Stranger", "Bartender", "Nurse", "Taxi Driver", "Waitress", "Old Man",
	"Little Girl", "Reporter", "Security Guard", "Narrator", "Himself", "Herself",
	"Young Woman", "Doorman", "Receptionist", "Priest",
};

/* Genres with their weights and the class that shapes ratings and
 * runtimes. */
enum genre_class { G_GENERAL, G_FAMILY, G_DARK, G_DOCUMENTARY, G_COMEDY };

static const struct genre {
	const char *name;
	int weight;
	enum genre_class class;
} genres[] = {
	{ "Drama", 24, G_GENERAL }, { "Comedy", 17, G_COMEDY }, { "Thriller", 10, G_DARK },
	{ "Action", 9, G_GENERAL }, { "Romance", 8, G_GENERAL }, { "Horror", 7, G_DARK },
	{ "Documentary", 7, G_DOCUMENTARY }, { "Crime", 6, G_DARK },
	{ "Adventure", 5, G_GENERAL }, { "Science Fiction", 4, G_GENERAL },
	{ "Family", 4, G_FAMILY }, { "Mystery", 4, G_GENERAL }, { "Fantasy", 4, G_GENERAL },
	{ "Animation", 4, G_FAMILY }, { "Music", 3, G_GENERAL }, { "History", 2, G_GENERAL },
	{ "War", 2, G_DARK }, { "Western", 1, G_GENERAL },
};

/* Maturity levels 1..6 (lib/maturity.h) by genre class. */
static const int maturity_general[] = { 5, 3, 20, 37, 30, 5 };
static const int maturity_family[] = { 40, 25, 35, 0, 0, 0 };
static const int maturity_dark[] = { 0, 0, 2, 33, 50, 15 };
static const int maturity_documentary[] = { 20, 0, 40, 30, 10, 0 };

/* Original languages, their weights, the countries that make films in
 * them (picked uniformly, so repeat one to weight it) and original titles
 * for the titles that are not in English. */
static const struct language {
	const char *code;
	int weight;
	int latin;               /* may show the original title as the title */
	const char *countries;   /* space-separated ISO 3166 codes */
	const char *const *originals;
} languages[] = {
	{ "en", 55, 1, "US US US US US GB GB CA AU IE NZ", (const char *const[]){ NULL } },
	{ "fr", 7, 1, "FR FR FR BE CA CH", (const char *const[]){
		"Le Dernier Été", "La Mémoire de l'eau", "Les Heures sombres",
		"Un café à Montréal", "La Fenêtre d'en face", "Le Cœur des hommes",
		"L'Étranger du nord", "Après la pluie", "Ça commence aujourd'hui",
		"Déjà l'hiver", "La Vie rêvée", "Les Enfants de la nuit", "Un été à Nice",
		"Bienvenue à Marseille", NULL } },
	{ "es", 8, 1, "ES ES MX MX AR CO CL", (const char *const[]){
		"El Último Verano", "La Casa del Río", "Mañana será otro día",
		"El Corazón del Mar", "Noche de Lobos", "Después de la Lluvia",
		"La Niña de Córdoba", "Los Años Dorados", "Canción de Otoño",
		"El Silencio de Bogotá", "Días de Fútbol", "Amor en Cádiz", NULL } },
	{ "de", 4, 1, "DE DE DE AT CH", (const char *const[]){
		"Der Lange Weg", "Die Stille nach dem Sturm", "Über den Wolken",
		"Schöne Grüße aus Köln", "Das Mädchen am Fenster", "Die Brücke im Nebel",
		"Nächte in Berlin", "Der Fremde aus dem Süden", "Glück im Unglück",
		"Weiße Tage", NULL } },
	{ "it", 3, 1, "IT", (const char *const[]){
		"La Notte Bianca", "Il Ritorno", "La Dolce Attesa", "L'Ultimo Bacio del Sud",
		"Il Giardino dei Limoni", "Una Giornata a Napoli", "Il Segreto di Venezia",
		"Perché no?", "La Città Perduta", "Tutto il Resto", NULL } },
	{ "ja", 6, 0, "JP", (const char *const[]){
		"夜の記憶", "東京の空", "最後の夏", "海辺の約束", "静かな家", "風の歌",
		"桜の季節", "影の街", NULL } },
	{ "ko", 5, 0, "KR", (const char *const[]){
		"밤의 노래", "서울의 봄날", "마지막 여름", "바다의 약속", "비밀의 정원",
		"그 남자의 집", NULL } },
	{ "hi", 4, 0, "IN", (const char *const[]){
		"रात का सफ़र", "दिल की बात", "आख़िरी ख़त", "मुंबई की शाम", NULL } },
	{ "pt", 3, 1, "BR BR PT", (const char *const[]){
		"O Último Verão", "A Cidade do Céu", "Coração de Pedra", "Saudade do Mar",
		"Noites de São Paulo", "A Viagem de João", "Tempo de Amar", NULL } },
	{ "zh", 3, 0, "CN CN TW HK", (const char *const[]){
		"长夜", "北京的秋天", "最后的夏天", "雨中的城市", "月光之下", "故乡", NULL } },
	{ "sv", 1, 1, "SE", (const char *const[]){
		"Sommaren på Öland", "Vargtimmen", "Den sista dagen", "Midnattssol över Malmö",
		"Flickan vid sjön", "Tystnaden i Kiruna", NULL } },
	{ "da", 1, 1, "DK", (const char *const[]){
		"Den sidste sommer", "Pigen fra Århus", "Natten over København", "Stilhed",
		"Brødrene", NULL } },
	{ "no", 1, 1, "NO", (const char *const[]){
		"Lyset i Tromsø", "Fjellet", "Den siste vinteren", "Søsken", NULL } },
	{ "tr", 1, 1, "TR", (const char *const[]){
		"Son Yaz", "İstanbul Geceleri", "Kırmızı Kapı", "Sessiz Ev", NULL } },
	{ "pl", 1, 1, "PL", (const char *const[]){
		"Ostatnie lato", "Noc w Krakowie", "Cisza", "Dom nad rzeką", "Złoty wiek", NULL } },
	{ "nl", 1, 1, "NL NL BE", (const char *const[]){
		"De Laatste Zomer", "Nachten in Amsterdam", "Het Stille Huis", "Broers", NULL } },
};

/* Second countries of co-productions. */
static const char *const coproducers[] = {
	"US", "GB", "FR", "DE", "CA", "ES", "IT", "JP", "KR", "IN", "BE", "AU",
};

/* The tables a generation fills; their foreign keys and plain indexes
 * are dropped while loading. */
static const char *const loaded_tables[] = {
	"titles", "title_genres", "seasons", "episodes", "people", "credits",
};

/* ---- array literals and named parameters ---------------------------- */

/* Appends s to a growing buffer. */
struct buf {
	char *s;
	size_t len, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = sf_xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* {"a","b"}: a text[] literal, every element quoted. */
static char *text_array(const char *const *v, size_t n)
{
	struct buf b = { 0 };

	buf_str(&b, "{");
	for (size_t i = 0; i < n; i++) {
		buf_str(&b, i ? ",\"" : "\"");
		for (const char *p = v[i]; *p; p++) {
			if (*p == '"' || *p == '\\')
				buf_add(&b, "\\", 1);
			buf_add(&b, p, 1);
		}
		buf_str(&b, "\"");
	}
	buf_str(&b, "}");
	return b.s;
}

static char *int_array(const int *v, size_t n)
{
	struct buf b = { 0 };
	char num[16];

	buf_str(&b, "{");
	for (size_t i = 0; i < n; i++) {
		snprintf(num, sizeof(num), "%s%d", i ? "," : "", v[i]);
		buf_str(&b, num);
	}
	buf_str(&b, "}");
	return b.s;
}

/* The n-1 cumulative thresholds of n weights, for width_bucket: item j
 * (1-based) is drawn with probability weight[j] / sum. */
static char *thresholds(const int *w, size_t n)
{
	struct buf b = { 0 };
	long total = 0, cum = 0;
	char num[32];

	for (size_t i = 0; i < n; i++)
		total += w[i];
	buf_str(&b, "{");
	for (size_t i = 0; i + 1 < n; i++) {
		cum += w[i];
		snprintf(num, sizeof(num), "%s%.9f", i ? "," : "", (double)cum / (double)total);
		buf_str(&b, num);
	}
	buf_str(&b, "}");
	return b.s;
}

struct param {
	const char *name;
	char *value;
};

enum { MAX_PARAMS = 64 };

struct gen {
	struct sf_db *db;
	const struct sf_demo_spec *spec;
	sf_demo_progress_fn *progress;
	void *arg;
	const struct sf_actor *actor;
	struct param params[MAX_PARAMS];
	int nparams;
	struct sf_demo_summary *sum;
	json_t *stale_dirs;   /* media directories of the replaced titles */
};

static void set_param(struct gen *g, const char *name, char *value)
{
	for (int i = 0; i < g->nparams; i++) {
		if (!strcmp(g->params[i].name, name)) {
			free(g->params[i].value);
			g->params[i].value = value;
			return;
		}
	}
	if (g->nparams == MAX_PARAMS)
		abort();
	g->params[g->nparams++] = (struct param){ name, value };
}

static void set_int(struct gen *g, const char *name, long long v)
{
	set_param(g, name, sf_xasprintf("%lld", v));
}

static const char *param_value(struct gen *g, const char *name, size_t len)
{
	for (int i = 0; i < g->nparams; i++)
		if (strlen(g->params[i].name) == len && !strncmp(g->params[i].name, name, len))
			return g->params[i].value;
	fprintf(stderr, "sf: bug: demo statement uses unknown parameter $%.*s\n", (int)len, name);
	abort();
}

/* Runs sql, whose parameters are written $name ($seed, $adj): each
 * becomes $1, $2 ... in order of first use, with the value set by
 * set_param; the statement goes to the server with the values apart, as
 * every statement of sf does.  *res as for sf_db_query. */
static int query(struct gen *g, PGresult **res, const char *sql)
{
	const char *names[MAX_PARAMS], *values[MAX_PARAMS];
	size_t lens[MAX_PARAMS];
	struct buf b = { 0 };
	int n = 0, rc, quoted = 0;

	for (const char *p = sql; *p; p++) {
		if (*p == '\'')
			quoted = !quoted;
		if (quoted || *p != '$' || p[1] < 'a' || p[1] > 'z') {
			buf_add(&b, p, 1);
			continue;
		}
		const char *name = ++p;
		size_t len = strspn(name, "abcdefghijklmnopqrstuvwxyz_0123456789");
		int k;
		char num[16];

		for (k = 0; k < n; k++)
			if (lens[k] == len && !strncmp(names[k], name, len))
				break;
		if (k == n) {
			if (n == MAX_PARAMS)
				abort();
			names[n] = name;
			lens[n] = len;
			values[n] = param_value(g, name, len);
			n++;
		}
		snprintf(num, sizeof(num), "$%d", k + 1);
		buf_str(&b, num);
		p += len - 1;
	}
	rc = sf_db_query(g->db, res, b.s, n, values);
	free(b.s);
	return rc;
}

static long long tuples(PGresult *res)
{
	return strtoll(PQcmdTuples(res), NULL, 10);
}

static void progress(struct gen *g, const char *step, long long done, long long total)
{
	if (g->progress)
		g->progress(g->arg, step, done, total);
}

/* Runs a statement over the rows $lo..$hi of 1..total in chunks of about
 * chunk rows, reporting progress as rows done of total; adds the rows the
 * statements affected to *count. */
static int chunked(struct gen *g, const char *step, const char *sql, long long total,
		   long long chunk, long long *count)
{
	PGresult *res = NULL;
	int rc = 0;

	progress(g, step, 0, total);
	for (long long lo = 1; lo <= total && !rc; lo += chunk) {
		long long hi = lo + chunk - 1 < total ? lo + chunk - 1 : total;

		set_int(g, "lo", lo);
		set_int(g, "hi", hi);
		rc = query(g, &res, sql);
		if (!rc) {
			*count += tuples(res);
			PQclear(res);
			progress(g, step, hi, total);
		}
	}
	return rc;
}

/* ---- the statements -------------------------------------------------- */

/* Uniform numbers and picks from (seed-derived) keys, and the title
 * templates.  All are simple SQL functions, inlined by the planner. */
static const char functions_sql[] =
	"CREATE OR REPLACE FUNCTION pg_temp.u(k bigint, salt int) RETURNS float8"
	" LANGUAGE sql IMMUTABLE"
	" RETURN (hashint8extended(k, salt) & 9007199254740991)::float8 / 9007199254740992.0;"
	"CREATE OR REPLACE FUNCTION pg_temp.h(k bigint, salt int) RETURNS bigint"
	" LANGUAGE sql IMMUTABLE"
	" RETURN hashint8extended(k, salt) & 9223372036854775807;"
	/* Any word, all equally likely. */
	"CREATE OR REPLACE FUNCTION pg_temp.pick(a text[], k bigint, salt int) RETURNS text"
	" LANGUAGE sql IMMUTABLE"
	" RETURN a[1 + (pg_temp.h(k, salt) % cardinality(a))::int];"
	/* A word towards the front: the first tenth of the list a third of the time. */
	"CREATE OR REPLACE FUNCTION pg_temp.skew(a text[], k bigint, salt int) RETURNS text"
	" LANGUAGE sql IMMUTABLE"
	" RETURN a[1 + floor(cardinality(a) * pg_temp.u(k, salt) ^ 2)::int];"
	/* 1..n by the weights behind the n-1 thresholds. */
	"CREATE OR REPLACE FUNCTION pg_temp.wpick(cum float8[], k bigint, salt int) RETURNS int"
	" LANGUAGE sql IMMUTABLE"
	" RETURN 1 + width_bucket(pg_temp.u(k, salt), cum);"
	/* g, or the next genre after it that is neither a nor b. */
	"CREATE OR REPLACE FUNCTION pg_temp.other(g int, a int, b int, n int) RETURNS int"
	" LANGUAGE sql IMMUTABLE"
	" RETURN CASE WHEN g <> a AND g <> b THEN g"
	"             WHEN g % n + 1 <> a AND g % n + 1 <> b THEN g % n + 1"
	"             ELSE (g + 1) % n + 1 END;"
	"CREATE OR REPLACE FUNCTION pg_temp.an(w text) RETURNS text"
	" LANGUAGE sql IMMUTABLE"
	" RETURN CASE WHEN left(w, 1) IN ('A', 'E', 'I', 'O', 'U', 'É') THEN 'An ' ELSE 'A ' END || w;"
	/* Template t (title_templates above) filled from key k. */
	"CREATE OR REPLACE FUNCTION pg_temp.phrase(t int, k bigint, adj text[], noun text[],"
	"    plural text[], place text[], name text[], verbing text[], num text[],"
	"    sequel text[], prep text[]) RETURNS text"
	" LANGUAGE sql IMMUTABLE"
	" RETURN CASE t"
	"  WHEN 1 THEN 'The ' || pg_temp.skew(adj, k, 1) || ' ' || pg_temp.skew(noun, k, 2)"
	"  WHEN 2 THEN pg_temp.skew(noun, k, 2) || ' in ' || pg_temp.skew(place, k, 3)"
	"  WHEN 3 THEN pg_temp.skew(noun, k, 2) || ' of the ' || pg_temp.skew(noun, k, 4)"
	"  WHEN 4 THEN 'The ' || pg_temp.skew(noun, k, 2)"
	"  WHEN 5 THEN pg_temp.skew(adj, k, 1) || ' ' || pg_temp.skew(noun, k, 2)"
	"  WHEN 6 THEN pg_temp.skew(noun, k, 2) || ' and ' || pg_temp.skew(noun, k, 4)"
	"  WHEN 7 THEN pg_temp.skew(name, k, 5)"
	"  WHEN 8 THEN pg_temp.pick(verbing, k, 6) || ' ' || pg_temp.skew(name, k, 5)"
	"  WHEN 9 THEN pg_temp.pick(num, k, 7) || ' ' || pg_temp.skew(plural, k, 8)"
	"  WHEN 10 THEN 'The ' || pg_temp.skew(noun, k, 2) || ' of ' || pg_temp.skew(place, k, 3)"
	"  WHEN 11 THEN pg_temp.skew(adj, k, 1) || ' ' || pg_temp.skew(noun, k, 2)"
	"               || pg_temp.pick(sequel, k, 9)"
	"  WHEN 12 THEN pg_temp.an(pg_temp.skew(noun, k, 2)) || ' in ' || pg_temp.skew(place, k, 3)"
	"  WHEN 13 THEN 'When ' || pg_temp.skew(name, k, 5) || ' Met ' || pg_temp.skew(name, k, 10)"
	"  WHEN 14 THEN pg_temp.an(pg_temp.skew(noun, k, 2)) || ' for ' || pg_temp.skew(name, k, 5)"
	"  WHEN 15 THEN 'The ' || pg_temp.skew(adj, k, 1) || ' ' || pg_temp.skew(plural, k, 8)"
	"  WHEN 16 THEN pg_temp.skew(plural, k, 8) || ' of ' || pg_temp.skew(place, k, 3)"
	"  ELSE pg_temp.pick(prep, k, 11) || ' the ' || pg_temp.skew(noun, k, 2) END;";

#define WORDS "$adj::text[], $noun::text[], $plural::text[], $place::text[], $name::text[]," \
	      " $verbing::text[], $num::text[], $sequel::text[], $prep::text[]"

/* The plan of every title: its key, kind, genres, year, language and
 * popularity rank.  Exactly $series titles are series: the ones whose
 * hash comes first. */
static const char plan_titles_sql[] =
	"CREATE TEMP TABLE demo_title ON COMMIT DROP AS"
	" WITH base AS ("
	"   SELECT i, hashint8extended(i, $seed::bigint) AS k"
	"   FROM generate_series(1, $titles::int) i"
	" ), kinds AS ("
	"   SELECT i, k, row_number() OVER (ORDER BY pg_temp.h(k, 1), i) <= $series::int AS series"
	"   FROM base"
	" ), drawn AS ("
	"   SELECT i, k, series,"
	"          pg_temp.wpick($genre_cum::float8[], k, 20) AS g1,"
	"          pg_temp.wpick($genre_cum::float8[], k, 21) AS g2,"
	"          pg_temp.wpick($genre_cum::float8[], k, 22) AS g3,"
	"          pg_temp.wpick('{0.35,0.78}'::float8[], k, 23) AS ng,"
	/* Years lean to recent decades; television starts around 1950. */
	"          2025 - floor(CASE WHEN series THEN 76 ELSE 106 END"
	"                       * pg_temp.u(k, 24) ^ 3)::int AS year,"
	"          pg_temp.wpick($lang_cum::float8[], k, 25) AS lang"
	"   FROM kinds"
	" ), two AS ("
	"   SELECT i, k, series, g1, year, lang, ng, g3,"
	"          CASE WHEN ng >= 2 THEN pg_temp.other(g2, g1, 0, $ngenres::int) END AS g2"
	"   FROM drawn"
	" )"
	" SELECT i, k, series, year, lang, g1, g2,"
	"        CASE WHEN ng >= 3 THEN pg_temp.other(g3, g1, g2, $ngenres::int) END AS g3,"
	/* Popularity rank: a random order that favors recent titles. */
	"        row_number() OVER (ORDER BY pg_temp.u(k, 26) * (1 + (2025 - year) / 15.0), i)"
	"          AS prank"
	" FROM two";

static const char insert_titles_sql[] =
	"WITH ins AS ("
	" INSERT INTO titles (kind, title, original_title, overview, tagline, release_date, year,"
	"     runtime_minutes, maturity, original_language, spoken_languages, countries,"
	"     external_id, popularity, status, available_from, available_until, regions)"
	" SELECT CASE WHEN series THEN 'series' ELSE 'movie' END,"
	"   CASE WHEN orig IS NOT NULL AND latin AND pg_temp.u(k, 40) < 0.3 THEN orig"
	"        ELSE pg_temp.phrase(pg_temp.wpick($tmpl_cum::float8[], k, 41), k, " WORDS ")"
	"   END,"
	"   orig,"
	"   CASE WHEN pg_temp.u(k, 50) < 0.04 THEN NULL"
	"        WHEN gc = 3 THEN 'A documentary about ' || pg_temp.pick($object::text[], k, 51)"
	"             || ' in ' || pg_temp.pick($oplace::text[], k, 52) || '.'"
	"        ELSE pg_temp.pick($cadj::text[], k, 53) || ' ' || pg_temp.pick($role::text[], k, 54)"
	"             || ' ' || pg_temp.pick($verb::text[], k, 55) || ' '"
	"             || pg_temp.pick($object::text[], k, 51) || ' in '"
	"             || pg_temp.pick($oplace::text[], k, 52) || '.'"
	"             || CASE WHEN pg_temp.u(k, 56) < 0.5"
	"                     THEN ' ' || pg_temp.pick($second::text[], k, 57) ELSE '' END"
	"   END,"
	"   CASE WHEN pg_temp.u(k, 58) < 0.4 THEN pg_temp.pick($tagline::text[], k, 59) END,"
	"   make_date(year, 1 + (pg_temp.h(k, 60) % 12)::int, 1 + (pg_temp.h(k, 61) % 28)::int),"
	"   year,"
	"   CASE WHEN series THEN NULL"
	"        WHEN gc = 3 THEN 55 + (pg_temp.h(k, 62) % 56)::int"
	"        WHEN gc = 1 THEN 72 + (pg_temp.h(k, 62) % 29)::int"
	"        ELSE 82 + floor(30 * (pg_temp.u(k, 63) + pg_temp.u(k, 64)))::int"
	"             + CASE WHEN pg_temp.u(k, 65) < 0.07 THEN 20 + (pg_temp.h(k, 66) % 51)::int"
	"                    ELSE 0 END"
	"   END,"
	"   CASE gc WHEN 1 THEN pg_temp.wpick($mat_family::float8[], k, 67)"
	"           WHEN 2 THEN pg_temp.wpick($mat_dark::float8[], k, 67)"
	"           WHEN 3 THEN pg_temp.wpick($mat_documentary::float8[], k, 67)"
	"           ELSE pg_temp.wpick($mat_general::float8[], k, 67) END,"
	"   lcode,"
	"   CASE WHEN lcode <> 'en' AND pg_temp.u(k, 68) < 0.3 THEN ARRAY[lcode, 'en']"
	"        ELSE ARRAY[lcode] END,"
	"   CASE WHEN pg_temp.u(k, 69) < 0.12 AND c2 <> c1 THEN ARRAY[c1, c2] ELSE ARRAY[c1] END,"
	"   'sfdemo:' || lpad(i::text, greatest(6, length(i::text)), '0'),"
	"   round((1000 * prank::float8 ^ -0.8 * (0.75 + 0.5 * pg_temp.u(k, 70)))::numeric, 3),"
	"   CASE WHEN ust < 0.04 THEN 'draft' WHEN ust < 0.07 THEN 'archived' ELSE 'published' END,"
	/* Published titles: a few coming soon, leaving soon, or gone. */
	"   CASE WHEN ust < 0.07 THEN NULL"
	"        WHEN uav < 0.03 THEN today + (1 + pg_temp.h(k, 71) % 120) * interval '1 day'"
	"        WHEN uav < 0.10 THEN today - (400 + pg_temp.h(k, 72) % 1000) * interval '1 day'"
	"   END,"
	"   CASE WHEN ust < 0.07 THEN NULL"
	"        WHEN uav >= 0.03 AND uav < 0.07"
	"          THEN today + (1 + pg_temp.h(k, 73) % 60) * interval '1 day'"
	"        WHEN uav >= 0.07 AND uav < 0.10"
	"          THEN today - (1 + pg_temp.h(k, 73) % 300) * interval '1 day'"
	"   END,"
	"   CASE WHEN pg_temp.u(k, 74) < 0.08 THEN ARRAY[c1] ELSE '{}' END"
	" FROM ("
	"   SELECT d.*, ($lang_code::text[])[lang] AS lcode, ($lang_latin::bool[])[lang] AS latin,"
	"     CASE WHEN ($orig_count::int[])[lang] > 0"
	"          THEN ($orig::text[])[($orig_first::int[])[lang]"
	"               + (pg_temp.h(k, 42) % ($orig_count::int[])[lang])::int] END AS orig,"
	"     ($genre_class::int[])[g1] AS gc,"
	"     pg_temp.pick(string_to_array(($lang_countries::text[])[lang], ' '), k, 43) AS c1,"
	"     pg_temp.pick($coprod::text[], k, 44) AS c2,"
	"     pg_temp.u(k, 45) AS ust, pg_temp.u(k, 46) AS uav,"
	"     date_trunc('day', now(), 'UTC') AS today"
	"   FROM demo_title d WHERE i BETWEEN $lo::int AND $hi::int"
	" ) d"
	" ORDER BY i"
	" RETURNING id, external_id"
	")"
	" INSERT INTO demo_tid (i, id) SELECT substr(external_id, 8)::int, id FROM ins";

static const char insert_genres_sql[] =
	"INSERT INTO title_genres (title_id, genre_id)"
	" SELECT t.id, g.id"
	" FROM demo_title d JOIN demo_tid t USING (i)"
	" CROSS JOIN LATERAL unnest(ARRAY[d.g1, d.g2, d.g3]) AS x(n)"
	" JOIN demo_genre g ON g.n = x.n"
	" ORDER BY t.id, g.id";

/* Seasons: 1 to 8 a series, fewer for young series, fewer for all when
 * there are not enough episodes for one a season; then the episodes: one
 * a season, the rest shared in proportion to a weight per season, by
 * cumulative sums, so that they add up to $episodes exactly. */
static const char plan_seasons_sql[] =
	"CREATE TEMP TABLE demo_season ON COMMIT DROP AS"
	" WITH s AS ("
	"   SELECT d.i, t.id AS title_id, d.k, d.year, d.g1,"
	"          least(1 + floor(8 * pg_temp.u(d.k, 100) ^ 1.8)::int, 2026 - d.year) AS want"
	"   FROM demo_title d JOIN demo_tid t USING (i) WHERE d.series"
	" ), tot AS ("
	"   SELECT count(*) AS n, coalesce(sum(want), 0) AS total FROM s"
	" ), s2 AS ("
	"   SELECT s.*, CASE WHEN tot.total <= $episodes::bigint THEN want"
	"                    ELSE 1 + (want - 1) * ($episodes::bigint - tot.n) / (tot.total - tot.n)"
	"               END AS nseasons"
	"   FROM s, tot"
	" ), ss AS ("
	"   SELECT s2.i, s2.title_id, s2.k, s2.year, s2.g1, n,"
	"          6 + pg_temp.h(s2.k # n, 101) % 18 AS w"
	"   FROM s2, generate_series(1, s2.nseasons) n"
	" ), c AS ("
	"   SELECT ss.*, row_number() OVER o AS ord, (sum(w) OVER o)::bigint AS cw,"
	"          (sum(w) OVER ())::bigint AS tw, count(*) OVER () AS ns"
	"   FROM ss WINDOW o AS (ORDER BY i, n)"
	" )"
	" SELECT i, title_id, k, g1, n, ord,"
	"        1 + ($episodes::bigint - ns) * cw / tw - ($episodes::bigint - ns) * (cw - w) / tw"
	"          AS nep,"
	"        make_date(year, 1 + (pg_temp.h(k, 102) % 12)::int, 1 + (pg_temp.h(k, 103) % 28)::int)"
	"          + (n - 1)::int * 364 AS released"
	" FROM c";

static const char insert_seasons_sql[] =
	"WITH ins AS ("
	" INSERT INTO seasons (title_id, number, name, release_date)"
	" SELECT title_id, n, 'Season ' || n, released FROM demo_season ORDER BY ord"
	" RETURNING id, title_id, number"
	")"
	" INSERT INTO demo_sid (title_id, n, id) SELECT title_id, number, id FROM ins";

/* A series names its episodes one way: from the templates (with a pilot,
 * sometimes), "Chapter 3: ...", or plainly "Episode 3". */
static const char insert_episodes_sql[] =
	"INSERT INTO episodes (season_id, title_id, number, name, overview, runtime_minutes,"
	"     release_date)"
	" SELECT sid, title_id, e,"
	"   CASE WHEN style >= 8 THEN 'Episode ' || e"
	"        WHEN style >= 6 THEN 'Chapter ' || e || ': '"
	"             || pg_temp.phrase(pg_temp.wpick($etmpl_cum::float8[], ek, 110), ek, " WORDS ")"
	"        WHEN n = 1 AND e = 1 AND style < 3 THEN 'Pilot'"
	"        ELSE pg_temp.phrase(pg_temp.wpick($etmpl_cum::float8[], ek, 110), ek, " WORDS ")"
	"   END,"
	"   CASE WHEN pg_temp.u(ek, 111) < 0.75"
	"        THEN pg_temp.pick($first::text[], ek, 112) || ' '"
	"             || pg_temp.pick($verb::text[], ek, 113) || ' '"
	"             || pg_temp.pick($object::text[], ek, 114) || '.' END,"
	"   greatest(1, base + (pg_temp.h(ek, 115) % 7)::int - 3),"
	"   released + (e - 1) * 7"
	" FROM ("
	"   SELECT x.id AS sid, s.title_id, s.n, s.released, e, s.k # ((s.n::bigint << 16) | e) AS ek,"
	"          (pg_temp.h(s.k, 116) % 10)::int AS style,"
	"          CASE WHEN ($genre_class::int[])[s.g1] IN (1, 4)"
	"               THEN 22 + (pg_temp.h(s.k, 117) % 9)::int"
	"               ELSE 40 + (pg_temp.h(s.k, 117) % 21)::int END AS base"
	"   FROM demo_season s JOIN demo_sid x USING (title_id, n),"
	"        generate_series(1, s.nep::int) e"
	"   WHERE s.ord BETWEEN $lo AND $hi"
	" ) s"
	" ORDER BY title_id, n, e";

/* People: name (f, l) of tier t for number p is unique: r runs through
 * the pairs of a tier, f through the first names (73 is prime to their
 * number) and, for each f, l through a rotation of the last names. */
static const char plan_people_sql[] =
	"CREATE TEMP TABLE demo_person ON COMMIT DROP AS"
	" SELECT p, ($first::text[])[1 + f] || CASE WHEN tier > 0"
	"             THEN ' ' || chr(64 + tier) || '.' ELSE '' END"
	"        || ' ' || ($last::text[])[1 + ((r / nf + f * 37 + lo) % nl)::int] AS name"
	" FROM ("
	"   SELECT p, nf, nl, (p - 1) / (nf * nl) AS tier, (p - 1) % (nf * nl) AS r,"
	"          (((p - 1) % (nf * nl) % nf * 73 + pg_temp.h($seed::bigint, 300)) % nf)::int AS f,"
	"          pg_temp.h($seed::bigint, 301) % nl AS lo"
	"   FROM generate_series(1, $people::int) p,"
	"        LATERAL (SELECT cardinality($first::text[]) AS nf,"
	"                        cardinality($last::text[]) AS nl) c"
	" ) x";

static const char insert_people_sql[] =
	"WITH ins AS ("
	" INSERT INTO people (name) SELECT name FROM demo_person ORDER BY p RETURNING id, name"
	")"
	" INSERT INTO demo_pid (p, id) SELECT d.p, ins.id FROM ins JOIN demo_person d USING (name)";

/* Credits: 3-10 cast, 1-2 directors, 1-3 writers a title.  The first of
 * each is drawn with a strong lean to the first people (the stars); the
 * others follow at a stride below $people / 10, so no one is credited
 * twice in one role of one title. */
static const char insert_credits_sql[] =
	"INSERT INTO credits (title_id, person_id, role, character, ord)"
	" SELECT t.id, x.id, c.role, c.character, c.ord"
	" FROM demo_title d JOIN demo_tid t USING (i)"
	" CROSS JOIN LATERAL ("
	"   SELECT 1 AS rk, 'cast' AS role, n AS ord,"
	"     1 + (floor($people::bigint * pg_temp.u(d.k, 200) ^ 1.5)::bigint"
	"          + n * (1 + pg_temp.h(d.k, 201) % greatest(1, $people::bigint / 11)))"
	"         % $people::bigint AS p,"
	"     CASE WHEN ($genre_class::int[])[d.g1] = 3 THEN 'Self'"
	"          WHEN pg_temp.u(d.k # n, 230) < 0.55"
	"            THEN pg_temp.pick($first::text[], d.k # n, 231) || ' '"
	"                 || pg_temp.pick($last::text[], d.k # n, 232)"
	"          WHEN pg_temp.u(d.k # n, 230) < 0.75 THEN pg_temp.pick($first::text[], d.k # n, 231)"
	"          WHEN pg_temp.u(d.k # n, 230) < 0.88"
	"            THEN pg_temp.pick($chartitle::text[], d.k # n, 233) || ' '"
	"                 || pg_temp.pick($last::text[], d.k # n, 232)"
	"          ELSE pg_temp.pick($charpart::text[], d.k # n, 234) END AS character"
	"   FROM generate_series(0, least($people::int,"
	"                                 3 + floor(8 * pg_temp.u(d.k, 202) ^ 1.5)::int) - 1) n"
	"   UNION ALL"
	"   SELECT 2, 'director', n,"
	"     1 + (floor($people::bigint * pg_temp.u(d.k, 210) ^ 1.3)::bigint"
	"          + n * (1 + pg_temp.h(d.k, 211) % greatest(1, $people::bigint / 11)))"
	"         % $people::bigint, NULL"
	"   FROM generate_series(0, least($people::int, CASE WHEN pg_temp.u(d.k, 212) < 0.15"
	"                                                    THEN 2 ELSE 1 END) - 1) n"
	"   UNION ALL"
	"   SELECT 3, 'writer', n,"
	"     1 + (floor($people::bigint * pg_temp.u(d.k, 220) ^ 1.3)::bigint"
	"          + n * (1 + pg_temp.h(d.k, 221) % greatest(1, $people::bigint / 11)))"
	"         % $people::bigint, NULL"
	"   FROM generate_series(0, least($people::int,"
	"                                 1 + floor(3 * pg_temp.u(d.k, 222) ^ 2)::int) - 1) n"
	" ) c"
	" JOIN demo_pid x ON x.p = c.p"
	" WHERE d.i BETWEEN $lo::int AND $hi::int"
	" ORDER BY d.i, c.rk, c.ord";

/* Bulk mode: the tables being loaded and those that refer to them (such
 * as the ones sf_title_reindex_all fills); their foreign keys, and their
 * indexes that back no constraint (primary keys and unique constraints
 * stay, and so does an index some foreign key relies on): how to drop
 * each and make it again.  Indexes of the loaded tables but titles are
 * made again before the search documents are built, which may need them;
 * those of titles and of the other tables after, as they are rewritten or
 * filled by it; then the statistics of the latter are refreshed.  Nothing,
 * unless the user owns every one of these tables. */
static const char bulk_ddl_sql[] =
	"WITH loaded AS ("
	"   SELECT unnest($tables::regclass[])::oid AS rel"
	" ), tabs AS ("
	"   SELECT rel FROM loaded"
	"   UNION SELECT conrelid FROM pg_constraint"
	"   WHERE contype = 'f' AND confrelid IN (SELECT rel FROM loaded)"
	" )"
	" SELECT drop_sql, create_sql, kind, late FROM ("
	"   SELECT 2 AS kind, true AS late, c.conname::text AS name,"
	"     format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname)"
	"       AS drop_sql,"
	"     format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,"
	"            pg_get_constraintdef(c.oid))"
	"     || coalesce(format('; COMMENT ON CONSTRAINT %I ON %s IS %L', c.conname,"
	"                        c.conrelid::regclass, obj_description(c.oid, 'pg_constraint')), '')"
	"       AS create_sql"
	"   FROM pg_constraint c"
	"   WHERE c.contype = 'f' AND c.conparentid = 0 AND c.conrelid IN (SELECT rel FROM tabs)"
	"   UNION ALL"
	"   SELECT 1, i.indrelid = 'titles'::regclass OR i.indrelid NOT IN (SELECT rel FROM loaded),"
	"     i.indexrelid::regclass::text,"
	"     format('DROP INDEX %s', i.indexrelid::regclass),"
	"     pg_get_indexdef(i.indexrelid)"
	"     || coalesce(format('; COMMENT ON INDEX %s IS %L', i.indexrelid::regclass,"
	"                        obj_description(i.indexrelid, 'pg_class')), '')"
	"   FROM pg_index i"
	"   WHERE i.indrelid IN (SELECT rel FROM tabs)"
	"     AND NOT i.indisprimary AND NOT i.indisreplident AND NOT i.indisclustered"
	"     AND i.indisvalid"
	"     AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
	"     AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)"
	"   UNION ALL"
	"   SELECT 3, true, rel::regclass::text, '', format('ANALYZE %s', rel::regclass)"
	"   FROM tabs WHERE rel NOT IN (SELECT rel FROM loaded)"
	" ) x"
	" WHERE (SELECT bool_and(pg_has_role(relowner, 'USAGE')) FROM pg_class"
	"        WHERE oid IN (SELECT rel FROM tabs))"
	" ORDER BY kind, name";

/* Restarting the ids of an empty catalog, so that the same seed gives the
 * same ids; again only for the owner of the tables. */
static const char restart_ids_sql[] =
	"SELECT format('ALTER TABLE %s ALTER COLUMN %I RESTART', attrelid::regclass, attname)"
	"   AS sql"
	" FROM pg_attribute"
	" WHERE attrelid = ANY ($tables::regclass[]) AND attidentity <> '' AND NOT attisdropped"
	"   AND (SELECT bool_and(pg_has_role(relowner, 'USAGE')) FROM pg_class"
	"        WHERE oid = ANY ($tables::regclass[]))"
	" ORDER BY 1";

/* ---- the generation -------------------------------------------------- */

struct ddl {
	char *drop_sql, *create_sql;
	int kind;        /* 1 index, 2 foreign key, 3 statistics (nothing to drop) */
	bool late;       /* made after the search documents */
};

static void ddl_free(struct ddl *d, int n)
{
	for (int i = 0; i < n; i++) {
		free(d[i].drop_sql);
		free(d[i].create_sql);
	}
	free(d);
}

static int load_ddl(struct gen *g, struct ddl **out, int *n)
{
	PGresult *res = NULL;
	int rc = query(g, &res, bulk_ddl_sql);

	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	*n = PQntuples(res);
	*out = sf_xcalloc((size_t)*n + 1, sizeof(**out));
	for (int i = 0; i < *n; i++) {
		(*out)[i].drop_sql = sf_xstrdup(sf_db_str(res, i, "drop_sql"));
		(*out)[i].create_sql = sf_xstrdup(sf_db_str(res, i, "create_sql"));
		(*out)[i].kind = (int)sf_db_int(res, i, "kind");
		(*out)[i].late = sf_db_bool(res, i, "late");
	}
	PQclear(res);
	return 0;
}

/* Makes again the dropped objects that match (kind, late). */
static int recreate(struct gen *g, struct ddl *d, int n, int kind, bool late,
		    long long *done, long long total)
{
	for (int i = 0; i < n; i++) {
		int rc;

		if (d[i].kind != kind || d[i].late != late)
			continue;
		rc = sf_db_exec(g->db, d[i].create_sql);
		if (rc)
			return sf_error_wrap(rc, "demo: restoring '%s'",
					     sf_text_quote(d[i].create_sql));
		progress(g, "indexes", ++*done, total);
	}
	return 0;
}

static int count_catalog(struct gen *g, long long *titles, long long *people)
{
	PGresult *res = NULL;
	int rc = sf_db_query(g->db, &res, "SELECT (SELECT count(*) FROM titles) AS titles,"
			     " (SELECT count(*) FROM people) AS people", SF_NOARGS);

	if (rc)
		return rc;
	*titles = sf_db_int(res, 0, "titles");
	*people = sf_db_int(res, 0, "people");
	PQclear(res);
	return 0;
}

static int generate(struct sf_db *db, void *arg)
{
	struct gen *g = arg;
	const struct sf_demo_spec *spec = g->spec;
	struct sf_demo_summary *sum = g->sum;
	struct ddl *ddl = NULL;
	long long old_titles, old_people, old_viewers = 0, seasons = 0, done = 0;
	json_t *old = NULL, *new = NULL;
	PGresult *res = NULL;
	int nddl = 0, rc;

	memset(sum, 0, sizeof(*sum));
	sum->seed = spec->seed;
	/* One generation at a time; readers carry on until the DDL below. */
	rc = sf_db_exec(db, "LOCK TABLE titles, people IN EXCLUSIVE MODE");
	if (!rc)
		rc = count_catalog(g, &old_titles, &old_people);
	if (!rc)
		rc = demo_viewers_count(db, &old_viewers);
	if (rc)
		goto out;
	if ((old_titles || old_people) && !spec->replace) {
		rc = sf_error(SF_ECONFLICT, "the catalog is not empty (%lld titles, %lld people); "
			      "give --replace to replace it", old_titles, old_people);
		goto out;
	}
	if (old_viewers && !spec->replace) {
		rc = sf_error(SF_ECONFLICT, "%lld demo viewers are there already; "
			      "give --replace to replace them", old_viewers);
		goto out;
	}
	if (spec->replace) {
		old = json_pack("{sIsI}", "titles", old_titles, "people", old_people);
		sum->replaced_titles = old_titles;
		/* Their media goes with them: the directories are removed once
		 * this commits (sf_demo_generate). */
		json_array_clear(g->stale_dirs);
		rc = query(g, &res, "SELECT dir FROM media_assets WHERE dir IS NOT NULL");
		for (int i = 0; !rc && i < PQntuples(res); i++)
			json_array_append_new(g->stale_dirs, json_string(sf_db_str(res, i, "dir")));
		PQclear(res);
		res = NULL;
		if (!rc)
			rc = sf_db_exec(db, "TRUNCATE titles, title_genres, seasons, episodes, credits, people"
				" RESTART IDENTITY CASCADE");
		if (!rc)
			rc = demo_viewers_delete(db, &sum->replaced_viewers);
	} else {
		rc = query(g, &res, restart_ids_sql);
		for (int i = 0; !rc && i < PQntuples(res); i++)
			rc = sf_db_exec(db, sf_db_str(res, i, "sql"));
		PQclear(res);
		res = NULL;
	}
	if (rc)
		goto out;
	/* JIT would compile the long inlined expressions anew for every
	 * chunk, and take longer than running them. */
	if ((rc = sf_db_exec(db, "SET LOCAL work_mem = '64MB';"
			     "SET LOCAL maintenance_work_mem = '256MB'; SET LOCAL jit = off")) ||
	    (rc = sf_db_exec(db, functions_sql)) ||
	    (rc = sf_db_exec(db, "CREATE TEMP TABLE demo_tid (i int PRIMARY KEY, id bigint)"
			     " ON COMMIT DROP;"
			     "CREATE TEMP TABLE demo_sid (title_id bigint, n int, id bigint,"
			     " PRIMARY KEY (title_id, n)) ON COMMIT DROP;"
			     "CREATE TEMP TABLE demo_pid (p int PRIMARY KEY, id bigint)"
			     " ON COMMIT DROP")))
		goto out;

	/* Bulk mode: drop what would check or index one row at a time. */
	if ((rc = load_ddl(g, &ddl, &nddl)))
		goto out;
	for (int i = 0; i < nddl && !rc; i++)
		if (*ddl[i].drop_sql)
			rc = sf_db_exec(db, ddl[i].drop_sql);
	if (rc)
		goto out;

	progress(g, "genres", 0, 1);
	rc = query(g, NULL, "INSERT INTO genres (name) SELECT unnest($genres::text[])"
		   " ON CONFLICT DO NOTHING");
	if (!rc)
		rc = query(g, NULL, "CREATE TEMP TABLE demo_genre ON COMMIT DROP AS"
			   " SELECT x.n::int AS n, g.id FROM unnest($genres::text[]) WITH ORDINALITY"
			   " AS x(name, n) JOIN genres g ON lower(g.name) = lower(x.name)");
	if (rc)
		goto out;

	progress(g, "titles", 0, spec->titles);
	if ((rc = query(g, NULL, plan_titles_sql)) ||
	    (rc = chunked(g, "titles", insert_titles_sql, spec->titles, 50000, &sum->titles)) ||
	    (rc = query(g, NULL, insert_genres_sql)))
		goto out;
	sum->series = spec->series;
	sum->movies = sum->titles - sum->series;

	if ((rc = query(g, NULL, plan_seasons_sql)) ||
	    (rc = query(g, NULL, insert_seasons_sql)))
		goto out;
	rc = sf_db_query(db, &res, "SELECT count(*) AS n, coalesce(sum(nep), 0) AS e,"
			 " coalesce(min(nep), 1) AS fewest FROM demo_season", SF_NOARGS);
	if (rc)
		goto out;
	seasons = sf_db_int(res, 0, "n");
	if (sf_db_int(res, 0, "e") != spec->episodes || sf_db_int(res, 0, "fewest") < 1) {
		rc = sf_error(SF_EINTERNAL, "demo: bug: planned %s episodes in %lld seasons, "
			      "not %lld", sf_db_str(res, 0, "e"), seasons, spec->episodes);
		goto out;
	}
	PQclear(res);
	res = NULL;
	sum->seasons = seasons;
	/* About 100,000 episodes a chunk. */
	if (seasons && (rc = chunked(g, "episodes", insert_episodes_sql, seasons,
				     seasons * 100000 / spec->episodes + 1, &sum->episodes)))
		goto out;

	progress(g, "people", 0, spec->people);
	if ((rc = query(g, NULL, plan_people_sql)) ||
	    (rc = query(g, NULL, insert_people_sql)))
		goto out;
	sum->people = spec->people;
	progress(g, "people", spec->people, spec->people);
	if ((rc = chunked(g, "credits", insert_credits_sql, spec->titles, 10000, &sum->credits)))
		goto out;

	/* The indexes the search documents may need, fresh statistics, the
	 * documents, then the indexes of titles and the foreign keys, each
	 * checking all its rows at once. */
	progress(g, "indexes", 0, nddl);
	if ((rc = recreate(g, ddl, nddl, 1, false, &done, nddl)) ||
	    (rc = sf_db_exec(db, "ANALYZE genres, title_genres, seasons, episodes, people,"
			     " credits")))
		goto out;
	progress(g, "search", 0, sum->titles);
	if ((rc = sf_db_exec(db, "SELECT sf_title_reindex_all()")))
		goto out;
	progress(g, "search", sum->titles, sum->titles);
	if ((rc = recreate(g, ddl, nddl, 1, true, &done, nddl)) ||
	    (rc = recreate(g, ddl, nddl, 2, true, &done, nddl)) ||
	    (rc = recreate(g, ddl, nddl, 3, true, &done, nddl)) ||
	    (rc = sf_db_exec(db, "ANALYZE titles")))
		goto out;

	if (spec->viewers && (rc = demo_viewers_generate(db, spec, g->progress, g->arg, sum)))
		goto out;
	rc = sf_db_query(db, &res, "SELECT count(*) AS n FROM genres", SF_NOARGS);
	if (rc)
		goto out;
	sum->genres = sf_db_int(res, 0, "n");
	PQclear(res);
	res = NULL;

	new = sf_demo_summary_json(sum);
	json_object_del(new, "milliseconds");
	json_object_del(new, "replaced_titles");
	json_object_del(new, "replaced_viewers");
	rc = sf_audit_record(db, g->actor, "catalog.generate", "catalog", 0, old, new);
out:
	PQclear(res);
	json_decref(old);
	json_decref(new);
	ddl_free(ddl, nddl);
	return rc;
}

int sf_demo_spec_resolve(struct sf_demo_spec *s)
{
	if (s->titles < 1 || s->titles > SF_DEMO_MAX_TITLES)
		return sf_error(SF_EINVAL, "--titles '%lld': not a whole number from 1 to %lld",
				s->titles, SF_DEMO_MAX_TITLES);
	if (s->series < 0)
		s->series = s->titles / 5;
	if (s->series > s->titles)
		return sf_error(SF_EINVAL, "--series '%lld': more than the %lld titles",
				s->series, s->titles);
	if (s->episodes < 0)
		s->episodes = s->series * 50 < SF_DEMO_MAX_EPISODES ? s->series * 50
			: SF_DEMO_MAX_EPISODES;
	if (s->episodes > SF_DEMO_MAX_EPISODES)
		return sf_error(SF_EINVAL, "--episodes '%lld': not a whole number from 0 to %lld",
				s->episodes, SF_DEMO_MAX_EPISODES);
	if (s->series == 0 && s->episodes > 0)
		return sf_error(SF_EINVAL, "--episodes '%lld': there are no series to hold them",
				s->episodes);
	if (s->episodes < s->series)
		return sf_error(SF_EINVAL, "--episodes '%lld': fewer than the %lld series, "
				"which need one each at least", s->episodes, s->series);
	if (s->episodes > s->series * SF_DEMO_MAX_EPISODES_PER_SERIES)
		return sf_error(SF_EINVAL, "--episodes '%lld': more than %lld for each of the "
				"%lld series", s->episodes, SF_DEMO_MAX_EPISODES_PER_SERIES,
				s->series);
	if (s->people < 0)
		s->people = s->titles < 100 ? 100 : s->titles;
	if (s->people < 1 || s->people > SF_DEMO_MAX_PEOPLE)
		return sf_error(SF_EINVAL, "--people '%lld': not a whole number from 1 to %lld",
				s->people, SF_DEMO_MAX_PEOPLE);
	if (s->seed < 0 || s->seed > SF_DEMO_MAX_SEED)
		return sf_error(SF_EINVAL, "--seed '%lld': not a whole number from 0 to %lld",
				s->seed, SF_DEMO_MAX_SEED);
	if (s->viewers < 0 || s->viewers > SF_DEMO_MAX_VIEWERS)
		return sf_error(SF_EINVAL, "--viewers '%lld': not a whole number from 0 to %lld",
				s->viewers, SF_DEMO_MAX_VIEWERS);
	if (s->plays < 0)
		s->plays = s->viewers * 25;
	if (s->viewers == 0 && s->plays > 0)
		return sf_error(SF_EINVAL, "--plays '%lld': there are no viewers to play them "
				"(give --viewers)", s->plays);
	if (s->plays < s->viewers || s->plays > s->viewers * SF_DEMO_MAX_PLAYS_PER_VIEWER)
		return sf_error(SF_EINVAL, "--plays '%lld': not from one to %lld a viewer for the "
				"%lld viewers", s->plays, SF_DEMO_MAX_PLAYS_PER_VIEWER, s->viewers);
	return 0;
}

/* Sets the parameters every statement may use. */
static void set_params(struct gen *g)
{
	const struct sf_demo_spec *s = g->spec;
	const char *names[N(genres)], *codes[N(languages)], *countries[N(languages)];
	const char **orig = NULL;
	int gw[N(genres)], gclass[N(genres)], lw[N(languages)];
	int first[N(languages)], count[N(languages)];
	char *latin;
	size_t norig = 0;

	set_int(g, "seed", s->seed);
	set_int(g, "titles", s->titles);
	set_int(g, "series", s->series);
	set_int(g, "episodes", s->episodes);
	set_int(g, "people", s->people);
	set_param(g, "tables", text_array(loaded_tables, N(loaded_tables)));
	set_param(g, "adj", text_array(adjectives, N(adjectives)));
	set_param(g, "noun", text_array(nouns, N(nouns)));
	set_param(g, "plural", text_array(plurals, N(plurals)));
	set_param(g, "place", text_array(places, N(places)));
	set_param(g, "name", text_array(title_names, N(title_names)));
	set_param(g, "verbing", text_array(verbings, N(verbings)));
	set_param(g, "num", text_array(numbers, N(numbers)));
	set_param(g, "sequel", text_array(sequels, N(sequels)));
	set_param(g, "prep", text_array(prepositions, N(prepositions)));
	set_param(g, "tmpl_cum", thresholds(title_templates, N(title_templates)));
	set_param(g, "etmpl_cum", thresholds(episode_templates, N(episode_templates)));
	set_param(g, "cadj", text_array(character_adjectives, N(character_adjectives)));
	set_param(g, "role", text_array(roles, N(roles)));
	set_param(g, "verb", text_array(verbs, N(verbs)));
	set_param(g, "object", text_array(objects, N(objects)));
	set_param(g, "oplace", text_array(overview_places, N(overview_places)));
	set_param(g, "second", text_array(second_sentences, N(second_sentences)));
	set_param(g, "tagline", text_array(taglines, N(taglines)));
	set_param(g, "first", text_array(first_names, N(first_names)));
	set_param(g, "last", text_array(last_names, N(last_names)));
	set_param(g, "chartitle", text_array(character_titles, N(character_titles)));
	set_param(g, "charpart", text_array(character_parts, N(character_parts)));
	set_param(g, "coprod", text_array(coproducers, N(coproducers)));

	for (size_t i = 0; i < N(genres); i++) {
		names[i] = genres[i].name;
		gw[i] = genres[i].weight;
		gclass[i] = (int)genres[i].class;
	}
	set_param(g, "genres", text_array(names, N(genres)));
	set_param(g, "genre_cum", thresholds(gw, N(genres)));
	set_param(g, "genre_class", int_array(gclass, N(genres)));
	set_int(g, "ngenres", (long long)N(genres));
	set_param(g, "mat_general", thresholds(maturity_general, N(maturity_general)));
	set_param(g, "mat_family", thresholds(maturity_family, N(maturity_family)));
	set_param(g, "mat_dark", thresholds(maturity_dark, N(maturity_dark)));
	set_param(g, "mat_documentary", thresholds(maturity_documentary,
						   N(maturity_documentary)));

	latin = sf_xcalloc(N(languages) * 2 + 3, 1);
	strcpy(latin, "{");
	for (size_t i = 0; i < N(languages); i++) {
		codes[i] = languages[i].code;
		countries[i] = languages[i].countries;
		lw[i] = languages[i].weight;
		strcat(latin, i ? (languages[i].latin ? ",t" : ",f")
				: (languages[i].latin ? "t" : "f"));
		first[i] = (int)norig + 1;
		count[i] = 0;
		for (const char *const *o = languages[i].originals; *o; o++) {
			orig = sf_xrealloc(orig, (norig + 1) * sizeof(*orig));
			orig[norig++] = *o;
			count[i]++;
		}
	}
	strcat(latin, "}");
	set_param(g, "lang_code", text_array(codes, N(languages)));
	set_param(g, "lang_countries", text_array(countries, N(languages)));
	set_param(g, "lang_cum", thresholds(lw, N(languages)));
	set_param(g, "lang_latin", latin);
	set_param(g, "orig", text_array(orig, norig));
	set_param(g, "orig_first", int_array(first, N(languages)));
	set_param(g, "orig_count", int_array(count, N(languages)));
	free(orig);
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int sf_demo_generate(struct sf_db *db, const struct sf_actor *actor,
		     const struct sf_demo_spec *spec, sf_demo_progress_fn *progress_fn,
		     void *arg, struct sf_demo_summary *out)
{
	struct sf_demo_spec s = *spec;
	struct gen g = { .db = db, .spec = &s, .progress = progress_fn, .arg = arg,
			 .actor = actor, .sum = out };
	double t0 = now_seconds();
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = sf_actor_require(actor, SF_PERM_MANAGE_CATALOG)) ||
	    (rc = sf_demo_spec_resolve(&s)))
		return rc;
	set_params(&g);
	g.stale_dirs = json_array();
	rc = sf_db_tx(db, 0, generate, &g);
	if (!rc && json_array_size(g.stale_dirs)) {
		char *root = sf_media_root();
		const json_t *d;
		size_t i;

		json_array_foreach(g.stale_dirs, i, d) {
			char *path = sf_xasprintf("%s/%s", root, json_string_value(d));

			sf_media_rmtree(path);   /* a leftover is harmless: nothing names it */
			free(path);
		}
		free(root);
	}
	json_decref(g.stale_dirs);
	for (int i = 0; i < g.nparams; i++)
		free(g.params[i].value);
	out->seconds = now_seconds() - t0;
	return rc;
}

json_t *sf_demo_summary_json(const struct sf_demo_summary *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "seed", json_integer(s->seed));
	json_object_set_new(o, "titles", json_integer(s->titles));
	json_object_set_new(o, "movies", json_integer(s->movies));
	json_object_set_new(o, "series", json_integer(s->series));
	json_object_set_new(o, "seasons", json_integer(s->seasons));
	json_object_set_new(o, "episodes", json_integer(s->episodes));
	json_object_set_new(o, "people", json_integer(s->people));
	json_object_set_new(o, "credits", json_integer(s->credits));
	json_object_set_new(o, "genres", json_integer(s->genres));
	json_object_set_new(o, "viewers", json_integer(s->viewers));
	json_object_set_new(o, "plays", json_integer(s->plays));
	json_object_set_new(o, "events", json_integer(s->events));
	json_object_set_new(o, "ratings", json_integer(s->ratings));
	json_object_set_new(o, "replaced_titles", json_integer(s->replaced_titles));
	json_object_set_new(o, "replaced_viewers", json_integer(s->replaced_viewers));
	json_object_set_new(o, "milliseconds", json_integer((json_int_t)(s->seconds * 1000 + 0.5)));
	return o;
}
