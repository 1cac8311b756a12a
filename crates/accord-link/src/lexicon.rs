//! The words the linker knows: stop words, the nouns that make a
//! capitalised run a name, spelling variants and synonyms, capitals and
//! countries. General vocabulary of diplomatic readouts, not of any one.

/// The nouns that make a capitalised run a name of an instrument or body
/// ("Future Partnership Fund"), not of a person or place.
#[rustfmt::skip]
pub(crate) const NAME_HEADS: &[&str] = &[
    "plan", "programme", "program", "agreement", "arrangement", "partnership", "treaty",
    "strategy", "framework", "dialogue", "initiative", "mechanism", "roadmap", "compact",
    "accord", "charter", "declaration", "exercise", "fund", "facility", "centre", "center",
    "council", "forum", "group", "force", "corridor", "consultations", "summit", "memorandum",
    "vision", "agenda", "alliance", "coalition", "consensus", "mission", "scheme", "package",
    "pact", "office", "institute", "fellowship", "fellowships", "statement", "operation",
    "licence", "license", "commission", "committee", "network", "platform", "hub", "academy",
    "project", "conference", "meeting",
];

/// Acronyms of parties and bodies everyone names: never an instrument.
#[rustfmt::skip]
pub(crate) const GENERIC: &[&str] = &[
    "NATO", "ASEAN", "UN", "EU", "USA", "US", "UK", "G7", "G20", "UNSC", "IAEA", "WTO", "ASEM",
    "AU", "ROK", "DPRK", "PRC", "UAE", "COVID-19", "COVID", "APEC", "OECD", "IMF", "WHO", "H.E",
    "I", "II", "III", "AM", "PM", "THE", "AND", "SDG", "SDGS", "QUAD", "PDR", "GDP", "CEO",
    "NZ", "PNG", "USD", "EUR",
];

/// Function words and the boilerplate of every readout.
#[rustfmt::skip]
pub(crate) const STOP: &[&str] = &[
    "the", "and", "for", "that", "this", "with", "would", "will", "their", "they", "them", "from",
    "into", "such", "also", "both", "side", "sides", "leader", "leaders", "two", "further",
    "between", "which", "view", "agree", "agreed", "concur", "concurred", "welcome",
    "welcomed", "reaffirm", "reaffirmed", "commitment", "commit", "committed", "include",
    "including", "well", "among", "other", "have", "has", "had", "been", "were", "was", "are",
    "its", "his", "her", "our", "we", "minister", "prime", "secretary", "general", "president",
    "chancellor", "foreign", "year", "next", "last", "these", "those", "continue", "continued",
    "close", "relation", "partner", "partners", "note", "noted", "express", "expressed", "said",
    "stated", "state", "states", "country", "countries", "bilateral", "both", "new", "first",
    "second", "third", "all", "any", "each", "more", "most", "very", "through", "toward",
    "towards", "under", "over", "upon", "within", "during", "before", "after", "since", "until",
    "about", "regard", "regarding", "per", "via", "who", "whom", "whose", "what", "when", "where",
    "while", "not", "yet", "now", "then", "than", "there", "here", "can", "could", "should",
    "shall", "may", "might", "must", "did", "does", "done", "being", "make", "made", "take",
    "taken", "took", "give", "given", "importance", "important", "work", "working", "efforts",
    "effort", "way", "ways", "area", "areas", "field", "fields", "including", "held", "hold",
    "meeting", "meet", "met", "visit", "one", "upon", "year's", "months", "month", "time",
    "times", "ministers", "government", "governments", "his", "hers", "mr", "ms", "mrs", "h.e",
    "excellency", "majesty", "said", "thanked", "thank", "pleased", "pleasure", "look", "looked",
    "forward", "early", "earliest", "possible", "appropriate", "relevant", "respective", "mutual",
    "together", "jointly", "joint", "other's", "was", "in", "of", "on", "to", "by", "at", "as",
    "an", "a", "or", "be", "is", "it", "he", "she", "i", "us", "so", "up", "do", "no", "if", "de",
    "la", "last", "ago", "today", "again", "than",
];

/// Spellings and near-synonyms that name the same thing, to one form
/// (applied to stems).
#[rustfmt::skip]
pub(crate) const SAME: &[(&str, &str)] = &[
    ("programm", "program"), ("centr", "center"), ("defenc", "defens"), ("labour", "labor"),
    ("organis", "organiz"), ("normalis", "normaliz"), ("finalis", "finaliz"),
    ("operationalis", "operationaliz"), ("realis", "realiz"), ("talk", "negoti"),
    ("accord", "agr"), ("pact", "agr"), ("citizen", "national"), ("evacuat", "evacu"),
    ("link", "connectivity"), ("connect", "connectivity"), ("trip", "visit"),
    ("keep", "maintain"), ("convention", "treaty"), ("reciprocal-visit", "shuttl"),
    ("middl", "mid"), ("taxation", "tax"), ("e-govern", "e-governanc"),
];

/// Capitals stand for their countries in readouts ("Rome and Tokyo will keep
/// standing by Kyiv"): a capital also gives its country (stems).
#[rustfmt::skip]
pub(crate) const CAPITALS: &[(&str, &str)] = &[
    ("kyiv", "ukrain"), ("kiev", "ukrain"), ("moscow", "russia"), ("beij", "china"),
    ("tokyo", "japan"), ("seoul", "korea"), ("delhi", "india"), ("canberra", "australia"),
    ("ottawa", "canada"), ("berlin", "germany"), ("paris", "franc"), ("rom", "italy"),
    ("london", "kingdom"), ("manila", "philippin"), ("hanoi", "vietnam"),
    ("jakarta", "indonesia"), ("brussel", "european"), ("pyongyang", "north"),
];

/// Countries and their peoples: they name the parties, which the linker
/// matches apart, not what was promised.
#[rustfmt::skip]
pub(crate) const NATIONS: &[&str] = &[
    "australia", "australian", "canada", "canadian", "china", "chinese", "france", "french",
    "germany", "german", "india", "indian", "indonesia", "indonesian", "italy", "italian",
    "japan", "japanese", "korea", "korean", "mexico", "mexican", "philippines", "philippine",
    "filipino", "vietnam", "vietnamese", "singapore", "singaporean", "malaysia", "malaysian",
    "thailand", "thai", "united", "kingdom", "british", "american", "america", "russia",
    "russian", "ukraine", "ukrainian", "brazil", "brazilian", "spain", "spanish", "europe",
    "european", "african", "africa", "pakistan", "pakistani", "bangladesh", "nepal", "sri",
    "lanka", "lankan", "zealand", "taiwan", "turkey", "turkish", "poland", "polish",
    "netherlands", "dutch", "sweden", "swedish", "norway", "norwegian", "israel", "israeli",
    "egypt", "egyptian", "saudi", "arabia", "iran", "iranian", "nigeria", "kenya", "argentina",
    "chile", "peru", "colombia", "cambodia", "laos", "myanmar", "mongolia", "states", "republic",
    "people", "peoples", "nations", "north", "south",
];

/// Short names of parties and bodies, spelled out: a text that says "EU"
/// and one that says "European Union" share those words.
#[rustfmt::skip]
pub(crate) const SPELLED: &[(&str, &str)] = &[
    ("EU", "european union"), ("AU", "african union"), ("UN", "united nations"),
    ("US", "united states"), ("UK", "united kingdom"), ("ROK", "korea"),
    ("WTO", "world trade organization"), ("IMF", "international monetary fund"),
    ("IAEA", "atomic energy agency"), ("UNSC", "security council"),
];

/// Two-word phrases readouts use for one thing, said in one way: "the
/// youth mobility scheme" for "a Working Holiday Programme". (First word
/// lower case, second as stemmed, the words they become.)
#[rustfmt::skip]
pub(crate) const PHRASES: &[(&str, &str, &str)] = &[
    ("reciprocal", "visit", "reciprocal-visit"), ("mutual", "visit", "reciprocal-visit"),
    ("shuttle", "diplomacy", "reciprocal-visit"),
    ("working", "holiday", "youth mobility"), ("digital", "governanc", "e-governance"),
    ("study", "grant", "scholarship"), ("bovine", "meat", "beef"),
];

/// Words of the diplomatic vocabulary that often stand for one another in
/// a later readout ("the talks" for "the negotiations", "the drill" for
/// "the exercise", "set up" for "establish"): a word of one class meets the
/// others, for part of the weight of the same word.
#[rustfmt::skip]
pub(crate) const KIN: &[&[&str]] = &[
    &["negotiations", "talks", "consultations", "dialogue", "discussions"],
    &["agreement", "accord", "arrangement", "pact", "treaty", "memorandum", "MoU", "convention", "deal"],
    &["fund", "facility", "financing", "finance", "grant", "loan", "funding"],
    &["exercise", "drill", "manoeuvre", "maneuver", "wargame"],
    &["visit", "trip", "tour", "mission"],
    &["establish", "establishment", "set-up", "create", "creation", "launch", "open", "opening",
      "found", "inaugurate", "inauguration", "start"],
    &["complete", "completion", "finish", "finalise", "conclude", "conclusion"],
    &["provide", "provision", "deliver", "delivery", "supply", "donate", "donation", "contribute",
      "contribution", "transfer", "hand"],
    &["deploy", "deployment", "send", "dispatch", "station", "post"],
    &["hold", "convene", "host", "organise", "stage"],
    &["plan", "roadmap", "blueprint", "strategy", "action-plan"],
    &["cooperation", "collaboration", "partnership"],
    &["strengthen", "deepen", "enhance", "expand", "boost", "intensify", "broaden", "upgrade"],
    &["ship", "vessel", "frigate", "boat", "destroyer", "warship"],
    &["summit", "leaders-meeting"],
    &["ministerial", "minister"],
    &["agriculture", "agricultural", "farming", "farm", "farmers", "agri-food"],
    &["adviser", "advisor", "attache", "attaché", "liaison"],
    &["exempt", "exemption", "waiver", "visa-free"],
    &["direct", "non-stop", "nonstop"],
    &["flights", "flight", "air-connectivity", "air-links", "air-services", "route", "routes"],
    &["veterinary", "sanitary", "phytosanitary", "SPS"],
    &["certificate", "certification"],
    &["project", "scheme"],
    &["beef", "meat", "bovine"],
    &["scholarship", "bursary", "stipend"],
    &["candidacy", "candidature", "bid", "election"],
];

/// Acronyms of the diplomatic vocabulary whose initials are not the words
/// they stand for in the order a readout writes them: "the DTA" for "an
/// agreement for the avoidance of double taxation", "the JCBC" for "the
/// Joint Commission". Lower case; the words as written, in a row.
#[rustfmt::skip]
pub(crate) const ACRONYMS: &[(&str, &[&str])] = &[
    ("dta", &["double", "taxation"]), ("dta", &["double", "tax"]),
    ("dtaa", &["double", "taxation"]), ("dtt", &["double", "taxation"]),
    ("dtt", &["double", "tax"]), ("dtc", &["double", "taxation"]),
    ("jcbc", &["joint", "commission"]), ("jwg", &["joint", "working", "group"]),
    ("jec", &["joint", "economic"]), ("jtc", &["joint", "trade"]),
    ("mou", &["memorandum", "understanding"]),
    ("jcc", &["joint", "commission"]), ("jpc", &["joint", "permanent", "commission"]),
    ("jpcc", &["joint", "permanent", "commission"]), ("jmc", &["joint", "ministerial", "commission"]),
];
