"""Subject categories: the IPTC Media Topics top level, scored by a weighted lexicon.

Why a lexicon: it runs offline with no training data at tens of thousands of words
per millisecond-scale budget, every decision can be traced to the words that made
it, and analysts can read (and extend) the taxonomy below. Each topic lists cue
terms; `term*` matches any word starting with `term`, a two-word term matches the
pair, `term^` counts double (strongly diagnostic) and `term?` half (common in news of
every kind: "million", "win"). A title word counts three times, and a section or URL
path that names a topic counts as strong evidence.

Languages: English here; German, French, Spanish, Italian, Portuguese and Dutch in
`tasks.enrich.taxonomy_lexicons` (where `~term` also matches compounds ending in `term`). In any
other language the text is not read: topics come from the section and URL hints only.

Scoring: each topic's weight is the sum of its cue hits; the score is that weight's
share of all hits, damped by how much evidence there is at all, so a short text
with two weak cues does not get a confident label. Topics at least half as strong
as the best one (and above an absolute floor) are reported, at most four.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict
from functools import lru_cache

from tasks.enrich.taxonomy_lexicons import LEXICONS as OTHER_LEXICONS

# slug -> (IPTC Media Topic code, IPTC name)
TAXONOMY: dict[str, tuple[str, str]] = {
    "arts": ("medtop:01000000", "arts, culture, entertainment and media"),
    "crime": ("medtop:02000000", "crime, law and justice"),
    "disaster": ("medtop:03000000", "disaster, accident and emergency incident"),
    "economy": ("medtop:04000000", "economy, business and finance"),
    "education": ("medtop:05000000", "education"),
    "environment": ("medtop:06000000", "environment"),
    "health": ("medtop:07000000", "health"),
    "human_interest": ("medtop:08000000", "human interest"),
    "labour": ("medtop:09000000", "labour"),
    "lifestyle": ("medtop:10000000", "lifestyle and leisure"),
    "politics": ("medtop:11000000", "politics and government"),
    "religion": ("medtop:12000000", "religion"),
    "science": ("medtop:13000000", "science and technology"),
    "society": ("medtop:14000000", "society"),
    "sport": ("medtop:15000000", "sport"),
    "conflict": ("medtop:16000000", "conflict, war and peace"),
    "weather": ("medtop:17000000", "weather"),
}

_LEXICON_TEXT: dict[str, str] = {
    "arts": """
        box_office chart charts award* nominat* bafta* golden_globe* soap sitcom* premiere* studio*
        dvd* pop rock hip-hop rap gig gigs lyric* orchestra* opera operas operatic ballet* dancer*
        documentar* screenplay screen record_label starring starred star stars art artist* museum*
        gallery galler* exhibition* painting* sculpt* film^ films movie^ movies cinema* actor*
        actress* director^ hollywood^ oscar* emmy* grammy* album^ albums song* singer* band^
        concert* tour music^ musician* rapper* theatre* theater* broadway novel novels novelist*
        book^ books author authors literature poet* poetry festival* celebrit* tv television
        netflix streaming series episode* comedian* comedy drama* anime manga fan entertainment^
        media^ newspaper* magazine* journalis* broadcast* reunion
        """,
    "crime": """
        crime^ crimes criminal* police^ officer* arrest* charged charge charges court courts judge*
        jury trial* lawsuit* sued sue suing prosecut* attorney* lawyer* guilty plead* pleaded
        convict* sentenc* prison* jail* murder* homicide* shooting* robbery theft stolen fraud^
        scam* corruption brib* detective* suspect* victim* assault* abuse* trafficking smuggl*
        drug_dealer* drug_trafficking drug_lord* narcotic* cartel* gang gangs gangster* terror* law
        laws legal* illegal* justice supreme_court fbi indict* probe allegation* alleged
        """,
    "disaster": """
        disaster^ disasters earthquake* quake* tsunami* flood* wildfire* fire^ fires blaze
        explosion* crash^ crashes collision* derail* accident^ accidents emergency^ rescue*
        evacuat* casualt* death_toll collapse* landslide* eruption* volcan* hurricane* typhoon*
        cyclone* tornado* drought* famine* outbreak^ plague^ epidemic* survivors injured
        """,
    "economy": """
        profits takeover* chief_executive executive* airline* bankrupt* bankruptcy economist* yen
        euro euros sterling central_bank federal_reserve dividend* output factory factories
        carmaker* maker makers insurer* insurance regulator* antitrust monopol* shareholder*
        stock_market stock_exchange exchange_rate oil_price* telecoms firm^ bid bids merge* buyout
        acquire* acquir* sold sell selling economy^ economic* econom* business^ businesses market^
        markets stock^ stocks shares investor* investment* invested investing bank^ banks banking
        finance^ financial* fund funds trade^ trading tariff* export* import imports importer*
        importing imported inflation^ interest_rate interest_rates recession* gdp growth? earnings^
        revenue^ profit* sales retail* retailer* price prices? company^ companies corporate* firm
        firms ceo* startup* industry^ industries manufactur* merger* acquisition* deal? deals? ipo
        listing dollar* currency* bitcoin* crypto* wall_street nasdaq dow analyst* quarter
        quarterly consumer* spending budget* tax taxes debt* billion? million? brand* supply_chain
        oil^ commodit* stake shareholder* deals discount* black_friday loan* mortgage* wealth*
        money payment* bank_account
        """,
    "education": """
        education^ educational* school^ schools student^ students teacher^ teachers university^
        universities college^ colleges campus* classroom* curriculum* pupil* tuition exam exams
        examination* degree* academic* scholarship* graduat* enrol* enroll* kindergarten*
        professor* lecture* learning literacy
        """,
    "environment": """
        environment^ environmental* climate^ climate_change global_warming emission* carbon^
        pollution* pollut* wildlife* species biodiversity conservation* deforestation forest*
        renewable* solar wind_power sustainab* recycl* plastic* ocean* endangered ecosystem*
        greenhouse fossil_fuel* green
        """,
    "health": """
        health^ healthcare hospital^ hospitals patient* doctor* nurse* medical^ medicine* disease^
        diseases virus* viral vaccine* vaccinat* covid* pandemic* infection* infect* cancer^
        diabetes heart surgery surgeon* drug_trial treatment* therapy* symptom* clinic*
        mental_health obesity diet* nutrition* fitness* bacteria* bacterial antibiotic* pharma*
        immune* immunity cells cell illness* sick* plague^ blood brain
        """,
    "human_interest": """
        anniversary* birthday* celebrat* heartwarming viral_video pet pets dog dogs cat cats
        wedding* record-breaking bizarre quirky oldest youngest hero* reunited
        """,
    "labour": """
        labour^ labor^ worker^ workers employee* employer* job^ jobs unemployment^ employment^
        hiring hired layoff* laid_off strike^ strikes union unions trade_union trade_unions wage^
        wages salar* pension*
        workforce workplace* manpower^ labour_shortage labor_shortage recruit* teachers_union
        """,
    "lifestyle": """
        travel* tourism* tourist* holiday* vacation* hotel* restaurant* food^ recipe* cooking chef*
        fashion^ beauty shopping^ shopper* gadget* deals^ gift* garden* home_decor leisure hobby
        hobbies wine* beer* coffee lifestyle^ dating car^ cars game_deals
        """,
    "politics": """
        mp^ mps^ tory^ tories^ conservative* labourparty^ liberal_democrat* lib_dem* commons lords
        westminster^ whitehall downing_street home_secretary foreign_secretary chancellor
        shadow_chancellor secretary minister* ministry* bill legislation manifesto* ballot* poll
        polls polling constituency constituencies backbench* frontbench* peers mep* eu^ brussels
        european_commission european_union council* councillor* congressman congresswoman senators
        democrats^ republicans^ gop speaker government_spending public_spending tax_cuts tax_rises
        spending_plans politic^ politics^ political^ politician* government^ governments minister^
        ministers president^ presidential* parliament^ parliamentary congress^ congressional
        senate^ senator* lawmaker* legislat* election^ elections elect elected electing electoral*
        elector* vote^ votes voter* voting campaign^ campaigns candidate* democrat* republican*
        party^ parties policy policies diplomat* diplomacy^ diplomatic* embassy* ambassador*
        sanction^ sanctions treaty* summit* bilateral trilateral alliance^ allies ally kremlin^
        white_house prime_minister impeach^ impeachment^ governor* mayor* administration regime*
        opposition referendum* by-election* re-election re-elected ukip snp plaid_cymru
        sinn_fein geopolitic^ foreign_policy cabinet* constitution* democracy^
        authoritarian* nato^ state_department
        """,
    "religion": """
        religion^ religious^ church^ churches mosque* temple* synagogue* pope^ vatican^ bishop*
        priest* clergy faith^ islam islamic islamist* islamic muslim* christian* christianity
        catholic* jewish judaism hindu* buddhis* prayer* pray* worship* god allah bible quran
        spiritual*
        """,
    "science": """
        phone^ phones mobile^ mobiles handset* smartphone* online^ download* downloads web^
        website* broadband^ net^ users user browser* e-mail* email* spam* spyware malware phishing
        hacker* virus_software computer_virus viruses piracy pirat* file-sharing peer-to-peer
        wireless wi-fi wifi gadget* device* pc^ pcs processor* server* network* telecom*
        operating_system open_source microsoft^ google^ apple^ intel^ ibm^ yahoo^ nokia^ motorola
        samsung^ sony oracle cisco facebook^ twitter tiktok openai nvidia^ qualcomm huawei^
        ericsson skype ebay amazon video_game video_games computer_game computer_games
        games_console games_consoles console* xbox playstation nintendo gamer* gaming^
        search_engine blog* blogger* podcast* ipod* itunes silicon* cloud algorithm* encryption
        cybersecurity cyberattack* programmer* developer* code science^ scientist^ scientists
        scientific^ research^ researcher* study^ studies technology^ tech^ technolog* nasa^ space
        spacecraft astronaut* rocket* launch*? moon^ lunar mars planet* telescope* astronom* galaxy
        galaxies universe^ physics* chemistry biolog* genetic* dna experiment* laboratory lab
        software^ hardware computer* computing internet^ digital* data ai artificial_intelligence
        robot* chip^ chips semiconductor* app apps cyber* hack* satellite* innovation* engineer*
        quantum simulation* electric_vehicle battery batteries algorithm* startup* silicon_valley
        gadget* laptop* notebook_computer* electronics hi-tech high-tech high-definition hdtv
        bluetooth megapixel* anti-virus* antivirus* worm worms trojan* malicious patch patches
        computer_viruses virus_writers e-mail_virus email_virus mobile_virus cyber_security
        internet_security computer_security online_security security_firm security_firms
        security_flaw security_flaws security_hole security_holes security_software cell_phone
        cell_phones cellphone* mp3* mp3_player mp3_players dvd_player dvd_players media_player
        media_players music_player music_players cd_player digital_music music_download
        music_downloads digital_tv digital_television tv_sets set-top gameplay multiplayer psp
        isp isps dial-up e-commerce napster kazaa bittorrent space_probe
        """,
    "society": """
        society^ social^ community^ communities immigra* migrant* refugee* asylum deport^ deportees
        deportation^ poverty homeless* inequality discriminat* racism racial gender women^ rights^
        human_rights civil_rights protest^ protests protester* demonstrat* lgbt* abortion^ family
        families children^ welfare housing population* demographic* census minority minorities
        charity^ charities nonprofit* philanthrop* volunteer* donat* grant^ grants
        """,
    "sport": """
        club^ clubs champion* championship^ coach* manager captain* squad squads fixture* referee*
        midfielder* defender* goalkeeper* keeper striker* winger* playoff* play-off* semi-final*
        quarter-final* semifinal* quarterfinal* premiership premier_league champions_league
        world_cup grand_slam grand_prix six_nations test_match innings wicket* batsman batsmen
        bowler* lap laps sprint* athletics medal* title_race touchdown* yards inning* shortstop
        knockout boxing^ boxer* wrestl* cycling^ cyclist* skier* skiing swimmer* swimming jockey*
        racecourse seed? seeded top_seed fans unbeaten draw? drew? beat? beaten? relegat* promoted?
        sport^
        sports^ football^ soccer^ basketball^ baseball^ tennis^ golf^ cricket^ rugby^ hockey^
        olympic* athlete* team? teams? match^ matches game games season^ league^ championship*
        tournament* coach^ player? players? striker* goal goals score* scored win? won? victory?
        defeat*? cup final? finals transfer transfer_window fifa uefa nba nfl mlb nhl stadium* race
        racing
        formula_one marathon medal* homer* slugger* quarterback* pitcher*
        hat-trick* rookie* defenseman defencemen linebacker* wide_receiver running_back
        free_agent free_agents free-agent golfer* birdie* bogey* putt fairway* olympian*
        paralympic* nascar pole_position tour_de_france scrum* try-line
        """,
    "conflict": """
        war^ wars warfare military^ militar* army^ armies troop^ troops soldier^ soldiers invasion^
        invade* attack* airstrike* strike missile^ missiles drone* bomb bombs bomber* bombing*
        bombed bombardment* shelling weapon^ weapons arms^ combat^ battle* frontline front_line
        ceasefire^ peace^ truce* conflict^ rebel* insurgen* militant* terroris* hostage* defence^
        defense^ deminer* nuclear* artillery tank tanks navy naval fighter* offensive occupied
        occupation casualt* killed_in wounded security taliban^ hamas^ hezbollah^ isis^ genocide*
        """,
    "weather": """
        weather^ forecast* rain^ rainfall snow^ snowfall storm^ storms temperature* heatwave*
        heat_wave cold_snap wind winds sunny cloud* meteorolog* frost humidity blizzard*
        """,
}


_Compiled = tuple[
    dict[str, list[tuple[str, float]]],
    list[tuple[str, str, float]],
    list[tuple[str, str, float]],
    dict[tuple[str, str], list[tuple[str, float]]],
]


def _compile(lexicon: dict[str, str]) -> _Compiled:
    exact: dict[str, list[tuple[str, float]]] = {}
    prefixes: list[tuple[str, str, float]] = []
    suffixes: list[tuple[str, str, float]] = []
    pairs: dict[tuple[str, str], list[tuple[str, float]]] = {}
    for topic, block in lexicon.items():
        for term in block.split():
            weight = 2.0 if term.endswith("^") else 0.5 if term.endswith("?") else 1.0
            term = term.rstrip("^?")
            if "_" in term:
                a, b = term.rstrip("*").split("_", 1)
                pairs.setdefault((a, b), []).append((topic, weight))
            elif term.startswith("~"):
                suffixes.append((term[1:], topic, weight))
            elif term.endswith("*"):
                prefixes.append((term[:-1], topic, weight))
            else:
                exact.setdefault(term, []).append((topic, weight))
    return exact, prefixes, suffixes, pairs


# Languages whose text is read for subjects; any other gets topics from hints only.
LEXICONS: dict[str, dict[str, str]] = {"en": _LEXICON_TEXT, **OTHER_LEXICONS}
SUBJECT_LANGUAGES = tuple(LEXICONS)
_COMPILED: dict[str, _Compiled] = {lang: _compile(lex) for lang, lex in LEXICONS.items()}
# Digits stay inside a word: "MP3" is not "mp" (a Member of Parliament).
_WORD = re.compile(r"[a-z][a-z0-9'\-]+")
_WORD_ANY = re.compile(r"[^\W\d_][\w'\-]+")


@lru_cache(maxsize=400_000)
def _cues(word: str, language: str = "en") -> tuple[tuple[str, float], ...]:
    """The topics one lowercase word points to (cached: a news vocabulary repeats a lot).

    A suffix cue (German and Dutch compounds) needs a longer word than itself: the word
    alone is listed as an exact or prefix cue where it is one.
    """
    exact, prefixes, suffixes, _ = _COMPILED[language]
    hits = dict(exact.get(word, ()))
    for prefix, topic, weight in prefixes:
        if word.startswith(prefix) and topic not in hits:
            hits[topic] = weight
    for suffix, topic, weight in suffixes:
        if len(word) > len(suffix) + 2 and word.endswith(suffix) and topic not in hits:
            hits[topic] = weight
    return tuple(hits.items())


# "Labour" the party (UK, Australia, ...) is politics; "labour" the work is the labour topic.
_LABOUR_PARTY = re.compile(
    r"\bLabou?r(?!\s+(?:market|force|costs?|shortage|day|Day|law|laws|union|unions|rights"
    r"|relations|Department|Ministry|ministry|department|statistics|camp|camps)\b)"
)


# Names that would read as cue words once lowercased: "Steve Jobs" is no labour-market story
# and "Bill Gates" no legislation.
_NAME_CUES = re.compile(r"\b(?:(?:Steve|Mr\.?)\s+Jobs|Bill(?=\s+[A-Z][a-z]))\b")


def topic_weights(
    text: str,
    title: str | None = None,
    hints: list[str] | None = None,
    language: str | None = "en",
) -> dict[str, float]:
    """Raw cue weight per topic for one article; the text is read only in a covered language."""
    weights: defaultdict[str, float] = defaultdict(float)
    lang = language if language in _COMPILED else None
    parts = ((text, 1.0), (title or "", 3.0)) if lang else ()
    for part, factor in parts:
        assert lang is not None  # parts is empty without a covered language
        if lang == "en":
            # The substitutions cost as much as the tokenising: only run them when they can match.
            if "Labo" in part:
                part = _LABOUR_PARTY.sub("labourparty", part)
            if "Jobs" in part or "Bill" in part:
                part = _NAME_CUES.sub("person", part)
            words = _WORD.findall(part.lower())
        else:
            words = _WORD_ANY.findall(part.lower())
        pairs = _COMPILED[lang][3]
        for word in words:
            for topic, w in _cues(word, lang):
                weights[topic] += w * factor
        for a, b in itertools.pairwise(words):
            for topic, w in pairs.get((a, b), ()):
                weights[topic] += 2.0 * w * factor
    # Hints (section, tags, URL words) are often English even on other-language sites.
    hint_langs = {"en", lang or "en"}
    for hint in hints or ():
        for word in _WORD_ANY.findall(hint.lower()):
            for topic in {t for code in hint_langs for t, _ in _cues(word, code)}:
                weights[topic] += 15.0
    return weights


# The subjects news desks are organised by. An article's other topics are usually aspects of
# its story: a company's court case is business news with a crime aspect, a minister's
# hospital plan politics with a health one. So when the strongest topic is an aspect and a
# desk topic has at least DESK_RATIO of its weight, the desk topic is reported first, with
# the first score (the set of topics and of scores does not change). An aspect named by the
# page's own section or URL stays first. Measured on the dev sets (AG News, the
# hand-annotated texts, the demo site): 0.55-0.7 all give the same gain; 0.5 starts to
# reorder generated demo articles.
DESKS = frozenset({"politics", "economy", "sport", "arts", "science", "conflict"})
DESK_RATIO = 0.6


def _hinted(hints: list[str], language: str | None) -> set[str]:
    return set(topic_weights("", None, hints, language))


def classify(
    text: str,
    title: str | None = None,
    hints: list[str] | None = None,
    *,
    language: str | None = "en",
    max_topics: int = 4,
    relative: float = 0.5,
    floor: float = 0.1,
) -> list[tuple[str, float]]:
    """Multi-label subject categories with scores in [0, 1], best first (a desk topic close
    to an aspect topic counts as the better one: see DESKS).

    The best topic is reported on any real evidence (one ordinary cue word or more), with
    the low score that little evidence earns: a weak guess at the subject is worth more to
    a reader than none, and the score says how weak it is. Further topics need `floor`.
    """
    weights = topic_weights(text, title, hints, language)
    total = sum(weights.values())
    if total <= 0:
        return []
    # Confidence grows with evidence: ~0.5 at 10 cue points, ~0.9 at 45.
    confidence = 1.0 - math.exp(-total / 20.0)
    ranked = sorted(weights.items(), key=lambda kv: -kv[1])
    best = ranked[0][1]
    out: list[tuple[str, float]] = []
    for topic, weight in ranked[:max_topics]:
        share = weight / total
        score = round(min(1.0, share * confidence * 2.0), 4)
        if not out and weight >= 1.0:
            out.append((topic, max(score, 0.01)))
        elif weight >= relative * best and score >= floor:
            out.append((topic, score))
    if out and out[0][0] not in DESKS and not (hints and out[0][0] in _hinted(hints, language)):
        for i, (topic, _) in enumerate(out[1:], 1):
            if topic in DESKS and weights[topic] >= DESK_RATIO * best:
                # The same topics and scores; the desk topic takes the first place and score.
                order = [topic] + [t for j, (t, _) in enumerate(out) if j != i]
                out = list(zip(order, [score for _, score in out], strict=True))
                break
    return out
