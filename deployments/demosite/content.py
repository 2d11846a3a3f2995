"""The made-up world: names, places, organisations and the sentence frames of each news theme.

Every string here is invented for newsflow. Events are slot fillings of a theme, so the
generator knows exactly which people, places and organisations a text mentions (the
entity ground truth) and which articles report the same event (the story ground truth).
Several outlets covering one event use different headline/lead frames and a different
choice and order of the other sentences, so their wording differs while the facts agree.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

CATEGORIES: tuple[str, ...] = (
    "politics",
    "conflict and war",
    "economy and business",
    "science and technology",
    "health",
    "crime and law",
    "disaster and accident",
    "environment",
    "education",
    "labour",
    "society",
    "sport",
    "arts and culture",
    "lifestyle",
    "religion",
    "weather",
    "human interest",
)

FIRST_NAMES = (
    "Anna",
    "Tomas",
    "Ilse",
    "Mateo",
    "Priya",
    "Jonas",
    "Leonie",
    "Rafael",
    "Marta",
    "Oskar",
    "Helena",
    "Yusuf",
    "Clara",
    "Dario",
    "Sofia",
    "Ewan",
    "Nadia",
    "Lukas",
    "Irene",
    "Kofi",
    "Margit",
    "Aurelio",
    "Saskia",
    "Bram",
    "Ingrid",
    "Theo",
    "Amara",
    "Felix",
    "Rosa",
    "Henrik",
    "Lucía",
    "Emil",
    "Zofia",
    "Caspar",
    "Noor",
    "Matthias",
    "Elif",
    "Ruben",
    "Agnes",
    "Silvio",
    "Maren",
    "Joaquim",
    "Tilde",
    "Benedek",
    "Ayasha",
    "Corin",
    "Greta",
    "Idris",
    "Véronique",
    "Stellan",
)
LAST_NAMES = (
    "Brandvold",
    "Halvorsen",
    "Moreau",
    "Castellan",
    "Okonkwo",
    "Lindqvist",
    "Marchetti",
    "Novalis",
    "Ferreira",
    "Albrecht",
    "Szalai",
    "Quint",
    "Rowe",
    "Achterberg",
    "Mendel",
    "Vasquez",
    "Dunmore",
    "Falk",
    "Oyelaran",
    "Petrakis",
    "Holm",
    "Carvalho",
    "Strand",
    "Lenz",
    "Ibarra",
    "Weyland",
    "Hallett",
    "Korhonen",
    "Amsel",
    "Baptiste",
    "Tornquist",
    "Delvaux",
    "Kovalenko",
    "Mbeki-Ross",
    "Aldana",
    "Pruett",
    "Valtonen",
    "Gerhardy",
    "Sørlie",
    "Czerny",
    "Ashdown",
    "Belloc",
    "Renwick",
    "Ostrander",
    "Tamblyn",
    "Vrana",
    "Quillfeather",
    "Eskola",
    "Marlowe",
    "Dijkgraaf",
    "Fenwick",
    "Iturbe",
    "Lorca-Vidal",
    "Thorsby",
    "Umarov",
    "Whitcombe",
)

# (country, nationality adjective, cities, regions/natural places)
COUNTRIES: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "Valdoria",
        "Valdorian",
        ("Port Halden", "Kestrel Bay", "Amberfield", "Lowmere"),
        ("the Sable River", "the Greywater Strait", "the Ardent Hills"),
    ),
    (
        "Corvania",
        "Corvanian",
        ("Drovny", "Sarresk", "Velinograd", "Istomar"),
        ("the Orlin Mountains", "Lake Vessa", "the Karsk Plateau"),
    ),
    (
        "Merovia",
        "Merovian",
        ("Castelmar", "Saint-Aubrac", "Lunéville-sur-Orne", "Portesca"),
        ("the Merovian Riviera", "the Vauclaire Valley", "the Tessine Gulf"),
    ),
    (
        "Kessaly",
        "Kessalian",
        ("Tiraz", "Ulmenhof", "Kessa", "Brodovar"),
        ("the Ulmen Forest", "the Tiraz Basin", "Mount Corrach"),
    ),
    (
        "Brenland",
        "Brenish",
        ("Brenwick", "Fallowmouth", "Upper Ashby", "Carrowgate"),
        ("the Fallow Estuary", "the Brenmoor Fells", "the Northern Isles"),
    ),
    (
        "Auralia",
        "Auralian",
        ("Solenne", "Marivale", "Port Cassius", "Oriel"),
        ("the Solenne Delta", "the Golden Coast", "the Marivale Highlands"),
    ),
    (
        "Tessaro",
        "Tessaran",
        ("Ponte Alvara", "San Ludo", "Caravella", "Moncastro"),
        ("the Alvara Lagoon", "the Serrano Range", "Isola Verde"),
    ),
)

ORG_KINDS: dict[str, tuple[str, ...]] = {
    "party": (
        "Civic Renewal Party",
        "{nat} People's Alliance",
        "Progressive Union",
        "Green Future Movement",
        "National Liberal Front",
    ),
    "ministry": (
        "{nat} Ministry of Finance",
        "{nat} Interior Ministry",
        "{nat} Ministry of Health",
        "{nat} Ministry of Education",
        "{nat} Defence Ministry",
        "{nat} Ministry of Environment",
    ),
    "company": (
        "Brightwater Energy",
        "Kestrel Motors",
        "Corvex Pharmaceuticals",
        "Northwind Airlines",
        "Amberline Bank",
        "Halcyon Systems",
        "Sabledge Mining",
        "Lumora Telecom",
        "Orrery Robotics",
        "Tidemark Shipping",
    ),
    "science": (
        "{city} Institute of Technology",
        "University of {city}",
        "{nat} Space Agency",
        "Coralline Research Centre",
        "Institute for Applied Optics",
    ),
    "health": (
        "{nat} Public Health Agency",
        "{city} General Hospital",
        "Council of Medical Practitioners",
        "Mercy Valley Clinic",
    ),
    "justice": (
        "{city} District Court",
        "{nat} Supreme Court",
        "{nat} Prosecution Service",
        "{city} Police Department",
    ),
    "emergency": (
        "{nat} Civil Protection Agency",
        "{city} Fire and Rescue Service",
        "Red Lantern Society",
        "{nat} Seismological Institute",
    ),
    "weather": ("{nat} Meteorological Office", "Coastal Storm Centre"),
    "green": (
        "Friends of the Wild Coast",
        "Blue Basin Trust",
        "{nat} Environment Agency",
        "Clearwater Alliance",
    ),
    "union": (
        "Union of Harbour Workers",
        "{nat} Federation of Rail Staff",
        "Teachers' Union of {country}",
        "General Workers' Confederation",
    ),
    "employer": (
        "{nat} Employers' Federation",
        "Chamber of Commerce of {city}",
        "{nat} Rail Company",
        "{city} Port Authority",
    ),
    "school": (
        "{nat} Ministry of Education",
        "{city} School Board",
        "Academy of Saint Ormond",
        "National Parents' Council",
    ),
    "club": (
        "{city} Rovers",
        "{city} Athletic",
        "Sporting {city}",
        "{city} Football Club",
        "Union {city}",
    ),
    "culture": (
        "{city} Philharmonic",
        "National Gallery of {country}",
        "Lanternhouse Theatre",
        "{city} Film Academy",
        "Foundation for Contemporary Art",
    ),
    "religion": (
        "Diocese of {city}",
        "Council of Faiths of {country}",
        "Abbey of Saint Veran",
        "{city} Interfaith Forum",
    ),
    "military": (
        "{nat} Armed Forces",
        "Northern Defence Pact",
        "{nat} Border Guard",
        "Coastal States Council",
    ),
    "charity": (
        "Open Door Trust",
        "{city} Community Kitchen",
        "Silver Years Network",
        "Little Harbour Rescue",
    ),
    "food": ("Guild of {nat} Bakers", "{city} Market Association", "Slow Table Society"),
}

EVENT_PATTERNS: dict[str, tuple[str, ...]] = {
    "politics": ("{city} Summit", "Spring Budget Session", "{nat} General Election"),
    "conflict": ("{city} Ceasefire Talks", "Operation Quiet Harbour", "the Border Crisis"),
    "economy": ("{city} Trade Fair", "Northern Investment Forum", "Harbour Tech Expo"),
    "science": ("{city} Science Week", "Orbital Horizons Conference", "Deep Lake Expedition"),
    "health": ("{city} Health Congress", "National Vaccination Week", "Clean Hands Campaign"),
    "crime": ("the Marble Vault Trial", "the {city} Fraud Inquiry", "Operation Lantern"),
    "disaster": ("the {city} Earthquake", "the Brenmoor Landslide", "the {city} Floods"),
    "weather": ("Storm Odalys", "Storm Fenwick", "Storm Marisol", "Storm Casimir"),
    "environment": ("{city} Climate Forum", "Coastal Clean-up Day", "Blue Rivers Conference"),
    "labour": ("the {city} Dock Strike", "the National Day of Action", "the Rail Stoppage"),
    "education": ("{city} Education Fair", "National Reading Week", "the Entrance Examinations"),
    "sport": (
        "the Continental Cup",
        "the {city} Marathon",
        "the Tour of {country}",
        "the Coastal Games",
    ),
    "culture": (
        "{city} Film Festival",
        "the Lantern Music Festival",
        "{city} Book Fair",
        "the Autumn Biennale",
    ),
    "religion": ("the Feast of Saint Veran", "{city} Pilgrimage Week", "the Interfaith Assembly"),
    "human": ("the {city} Harvest Fair", "Neighbours Day", "the Lighthouse Swim"),
    "lifestyle": ("{city} Food Week", "the Spring Garden Show", "the Night Market Festival"),
}

ROLES: dict[str, tuple[str, ...]] = {
    "gov": (
        "prime minister",
        "finance minister",
        "interior minister",
        "foreign minister",
        "president",
        "deputy prime minister",
    ),
    "opp": ("leader", "parliamentary spokesperson", "deputy leader", "chair"),
    "exec": ("chief executive", "chief financial officer", "chair", "head of operations"),
    "analyst": ("chief economist", "senior analyst", "market strategist"),
    "scientist": ("lead researcher", "professor of physics", "director", "project scientist"),
    "doctor": (
        "chief medical officer",
        "head of infectious diseases",
        "director",
        "senior epidemiologist",
    ),
    "prosecutor": (
        "chief prosecutor",
        "presiding judge",
        "police commissioner",
        "lead investigator",
    ),
    "defence": ("defence lawyer", "spokesperson", "lawyer"),
    "rescue": ("head of operations", "spokesperson", "regional director", "chief"),
    "mayor": ("mayor", "deputy mayor", "regional governor"),
    "forecaster": ("chief forecaster", "duty meteorologist", "spokesperson"),
    "activist": ("director", "campaign coordinator", "spokesperson"),
    "unionist": ("general secretary", "president", "chief negotiator"),
    "teacher": ("head teacher", "education minister", "chair", "spokesperson"),
    "coach": ("head coach", "captain", "manager", "sporting director"),
    "athlete": ("striker", "goalkeeper", "team leader", "defender"),
    "artist": ("artistic director", "curator", "director", "composer"),
    "cleric": ("bishop", "abbot", "chair", "spokesperson"),
    "general": ("army chief of staff", "defence minister", "commander", "spokesperson"),
    "volunteer": ("volunteer coordinator", "founder", "organiser"),
}


@dataclass(frozen=True)
class Theme:
    """Sentence frames for one kind of event, and the subject categories it belongs to."""

    name: str
    categories: tuple[str, ...]
    roles: tuple[str, str]  # ROLES keys for person 1 and 2
    orgs: tuple[str, str]  # ORG_KINDS keys for organisation 1 and 2
    events: str  # EVENT_PATTERNS key
    head: tuple[str, ...]
    lead: tuple[str, ...]
    detail: tuple[str, ...]
    quote: tuple[str, ...]
    reaction: tuple[str, ...]
    background: tuple[str, ...]
    next: tuple[str, ...]
    update: tuple[str, ...]  # a paragraph added when the story is updated


THEMES: tuple[Theme, ...] = (
    Theme(
        "budget",
        ("politics", "economy and business"),
        ("gov", "opp"),
        ("party", "party"),
        "politics",
        head=(
            "{Nat} lawmakers approve contested budget by {n1} votes",
            "{P1s} wins budget vote as opposition walks out",
            "Parliament in {country} passes spending plan after all-night debate",
            "Budget clears {nat} parliament despite protest in {city}",
        ),
        lead=(
            "Lawmakers in {country} approved a contested budget on {wd} by a margin of {n1} "
            "votes, handing {r1} {p1} a narrow victory after weeks of wrangling.",
            "{R1} {p1} secured parliamentary backing for a {amt} spending plan on {wd}, after "
            "opposition members walked out of the chamber in protest.",
            "After a debate that ran through the night, the {nat} parliament passed the "
            "government's budget on {wd}, ending a standoff that had threatened an early "
            "election.",
            "The government of {country} won a crucial budget vote on {wd}, even as several "
            "hundred demonstrators gathered outside the parliament building in {city}.",
        ),
        detail=(
            "The plan raises spending on rail lines and hospitals by {amt} while cutting "
            "subsidies for regional airports.",
            "Opposition parties had tabled more than {n2} amendments, nearly all of which "
            "were rejected in rapid succession.",
            "Three members of the governing coalition abstained, a sign of unease inside the {o1}.",
            "The vote followed a week of negotiations in which {p1s} offered concessions on "
            "pensions and support for farmers.",
        ),
        quote=(
            '"This budget keeps our promises to families in every region," {p1s} told '
            "reporters outside the chamber.",
            '"We chose investment over short-term comfort, and I will defend that choice '
            'anywhere," {p1s} said.',
            '"Nobody got everything they wanted, which is usually how you recognise a real '
            'compromise," {p1s} said late on {wd}.',
        ),
        reaction=(
            '{p2}, {r2} of the {o2}, called the outcome "a victory of arithmetic over '
            'common sense".',
            '"Tenants in {city} will pay for this with higher rents," said {p2}, {r2} of '
            "the {o2}, who promised to challenge parts of the plan in court.",
        ),
        background=(
            "{country} has been governed by a fragile coalition since the autumn "
            "election, and the {o1} holds a majority of only a handful of seats.",
            "Last year's budget was delayed by almost two months, forcing ministries "
            "to run on emergency allocations.",
        ),
        next=(
            "The upper house is expected to review the budget within {n1} days.",
            "{P1s} is due to present the plan to regional governors in {city2} next week.",
        ),
        update=(
            "Late on {wd}, the upper house scheduled its own vote for the following "
            "morning, and {p2s} said the {o2} would table a motion of no confidence.",
        ),
    ),
    Theme(
        "election",
        ("politics",),
        ("opp", "gov"),
        ("party", "party"),
        "politics",
        head=(
            "{O1} surges in {nat} regional election",
            "Voters in {city} hand {p1s} a surprise win",
            "{Nat} governing bloc loses ground as turnout climbs",
            "Regional vote reshapes politics in {country}",
        ),
        lead=(
            "The {o1} won the largest share of the vote in regional elections across {country} "
            "on {wd}, according to preliminary results, with turnout reaching {pct} percent.",
            "{p1}, {r1} of the {o1}, claimed victory in the regional election on {wd} as "
            "returns from {city} showed the party well ahead of its rivals.",
            "Regional elections in {country} delivered a blow to the governing parties on "
            "{wd}, with the {o1} gaining more than {n1} seats in the assemblies.",
            "A record number of voters cast ballots in the {nat} regional elections on {wd}, "
            "and early counts pointed to big gains for {p1s} and the {o1}.",
        ),
        detail=(
            "Polling stations in {city} stayed open an extra hour after long queues formed "
            "in the afternoon.",
            "The {o2} lost control of {n1} regional councils it had held for more than a decade.",
            "Election observers reported minor irregularities at {n1} polling stations but "
            "said they did not affect the result.",
            "Younger voters turned out in greater numbers than at any election since the "
            "constitution was rewritten.",
        ),
        quote=(
            '"People voted for change, and tomorrow we start delivering it," {p1s} told '
            "supporters at a rally in {city}.",
            '"This result belongs to the volunteers who knocked on every door in {city2}," '
            "{p1s} said.",
            '"We heard the message, and we are not going to pretend otherwise," {p1s} told '
            "supporters shortly before midnight.",
        ),
        reaction=(
            '{p2}, the {r2}, conceded that the governing parties had "misjudged the '
            'mood of the country".',
            "The {r2}, {p2}, said the {o2} would review its campaign but ruled out early "
            "national elections.",
        ),
        background=(
            "Regional assemblies in {country} control schools, roads and local health services.",
            "Turnout at the last regional election was well under half of registered voters.",
        ),
        next=(
            "Final results are expected from the electoral commission by the end of the week.",
            "Coalition talks in several regions are expected to begin within days.",
        ),
        update=(
            "With all ballots counted, the electoral commission confirmed on {wd} that the "
            "{o1} had won {n1} more seats than in the previous assembly.",
        ),
    ),
    Theme(
        "conflict",
        ("conflict and war",),
        ("general", "gov"),
        ("military", "military"),
        "conflict",
        head=(
            "Shelling near {city} breaks fragile truce",
            "{Nat} troops pull back from positions near {loc}",
            "Ceasefire talks stall as fighting flares along the border",
            "Civilians flee {city} after night of artillery fire",
        ),
        lead=(
            "Artillery fire struck the outskirts of {city} overnight into {wd}, breaking a "
            "truce that had held for {n1} days and forcing hundreds of families into "
            "shelters.",
            "The {o1} said on {wd} it had withdrawn units from positions near {loc} after "
            "clashes that left at least {n1} soldiers wounded.",
            "Talks aimed at ending the fighting on the {nat} border stalled on {wd} as both "
            "sides accused each other of violating a ceasefire near {city}.",
            "Thousands of civilians left {city} on {wd} after a night of shelling, crowding "
            "roads toward {city2} in cars, buses and on foot.",
        ),
        detail=(
            "Aid groups said at least {n2} homes had been damaged and the main water "
            "station was out of service.",
            "Satellite images reviewed by independent analysts showed fresh craters along "
            "the road leading to {loc}.",
            "The {o2} called for an emergency meeting of its members to discuss the escalation.",
            "Schools in the region were closed and trains to {city} were suspended until "
            "further notice.",
        ),
        quote=(
            '"Our forces responded proportionately to a direct attack," {p1s}, the {r1}, '
            "said in a televised statement.",
            '"We will not negotiate while our towns are under fire," {p1s} said.',
            '"The units have been repositioned, not defeated," {p1s} told reporters in {city2}.',
        ),
        reaction=(
            "{p2}, the {r2} of {country}, urged both sides to return to the negotiating "
            'table "before the winter makes everything worse".',
            'The {o2} said in a statement that it was "deeply alarmed" by reports of '
            "civilian casualties near {city}.",
        ),
        background=(
            "The border dispute over {loc} dates back decades and has flared several "
            "times since the last peace agreement collapsed.",
            "A ceasefire brokered at the {ev} in the spring had largely held until this month.",
        ),
        next=(
            "Envoys are scheduled to meet again in {city2} next week, officials said.",
            "Humanitarian agencies plan to open two additional shelters near {city}.",
        ),
        update=(
            "By {wd} evening the shelling had eased, and the {o2} said an aid convoy of "
            "{n1} trucks had reached {city}.",
        ),
    ),
    Theme(
        "company",
        ("economy and business",),
        ("exec", "analyst"),
        ("company", "company"),
        "economy",
        head=(
            "{O1} profits jump on strong demand",
            "{O1} to cut {n2} jobs in restructuring",
            "Shares of {o1} slide after cautious outlook",
            "{O1} agrees takeover of rival {o2}",
        ),
        lead=(
            "{o1} reported a {pct} percent rise in quarterly profit on {wd}, beating "
            "forecasts as demand in {country} held up better than expected.",
            "{o1} said on {wd} it would cut about {n2} jobs and close a plant near {city} as "
            "part of a plan to save {amt} a year.",
            "Shares in {o1} fell sharply on {wd} after {r1} {p1} warned that rising energy "
            "costs would weigh on results for the rest of the year.",
            "{o1} agreed on {wd} to buy its smaller rival {o2} for {amt}, creating the "
            "largest company of its kind in {country}.",
        ),
        detail=(
            "Revenue rose to {amt}, with exports accounting for roughly a third of sales.",
            "The company said it would raise its dividend and buy back shares over the "
            "next two years.",
            "Trading in the shares was briefly halted on the {city} exchange after the "
            "announcement.",
            "The deal still needs approval from competition regulators, which could take "
            "several months.",
        ),
        quote=(
            '"Our teams delivered in a difficult market, and the order book is full," '
            "{p1s}, the {r1}, said on a call with analysts.",
            '"These decisions are painful, but they protect thousands of other jobs," {p1s} said.',
            '"We see the next twelve months as a period of consolidation," {p1s} said.',
        ),
        reaction=(
            '{p2}, {r2} at {o2}, said the figures were "solid but not spectacular".',
            '"Investors had priced in a much better quarter," said {p2}, a {r2} who '
            "follows the sector.",
        ),
        background=(
            "{o1} employs about {n2} people in {country} and has expanded rapidly "
            "into neighbouring markets.",
            "The sector has been squeezed by higher interest rates and weaker consumer "
            "spending across the region.",
        ),
        next=(
            "The company will present a detailed plan to investors at the {ev}.",
            "Unions said they would meet management in {city} next week.",
        ),
        update=(
            "On {wd}, the company added that talks with unions over the job cuts would "
            "begin in {city2}, and its shares recovered about half of their losses.",
        ),
    ),
    Theme(
        "tech",
        ("science and technology", "economy and business"),
        ("exec", "scientist"),
        ("company", "science"),
        "economy",
        head=(
            "{O1} unveils chip that runs on sunlight",
            "New {o1} network promises faster rural internet",
            "{Nat} startup claims breakthrough in battery storage",
            "{O1} opens research lab in {city}",
        ),
        lead=(
            "{o1} unveiled a low-power processor on {wd} that it says can run small sensors "
            "for years on a sliver of solar cell.",
            "{o1} switched on a new mobile network on {wd} that it says will bring "
            "high-speed internet to {n2} villages across {country}.",
            "Engineers at {o1} said on {wd} they had built a battery cell that keeps {pct} "
            "percent of its capacity after thousands of charging cycles.",
            "{o1} will open a research laboratory in {city} employing {n2} engineers, "
            "{r1} {p1} said on {wd}.",
        ),
        detail=(
            "The first devices are expected in shops before the end of the year.",
            "The project was developed together with researchers from the {o2}.",
            "Independent tests of the technology have not yet been published.",
            "The company spent {amt} on research last year, more than any other firm in {country}.",
        ),
        quote=(
            '"This is the moment the technology leaves the laboratory," {p1s} said at a '
            "launch event in {city}.",
            '"We built it for places that big networks have ignored," {p1s} said.',
            '"Batteries are the bottleneck of the energy transition, and we think we have '
            'widened it," {p1s} said.',
        ),
        reaction=(
            "{p2}, a {r2} at the {o2}, said the claims were promising but needed "
            "independent confirmation.",
            '"If the numbers hold up, this changes the economics of storage," said '
            "{p2}, {r2} at the {o2}.",
        ),
        background=(
            "{country} has invested heavily in digital infrastructure since the {ev}.",
            "Rival firms in {country} have announced similar products but few have "
            "reached mass production.",
        ),
        next=(
            "A pilot programme will start in {city2} in the spring.",
            "The company plans to publish technical details at a conference next month.",
        ),
        update=(
            "The company said on {wd} that an independent laboratory in {city2} had "
            "confirmed the main test results.",
        ),
    ),
    Theme(
        "research",
        ("science and technology",),
        ("scientist", "scientist"),
        ("science", "science"),
        "science",
        head=(
            "Scientists find ancient forest beneath {loc}",
            "Telescope team spots unusual signal from nearby star",
            "Researchers map deep currents of {loc}",
            "{Nat} probe sends first images from orbit",
        ),
        lead=(
            "Researchers from the {o1} said on {wd} they had discovered the remains of a "
            "forest buried beneath {loc}, preserved for thousands of years.",
            "Astronomers at the {o1} reported on {wd} a repeating radio signal from a star "
            "about {n1} light years away.",
            "A team led by {p1} of the {o1} has produced the most detailed map yet of the "
            "currents flowing beneath {loc}, the group said on {wd}.",
            "The {o1} said on {wd} that its first orbital probe had returned clear images "
            "of the surface, {n1} days after launch.",
        ),
        detail=(
            "The findings were published in a peer-reviewed journal on {wd}.",
            "The team used sonar, drilling cores and more than {n2} hours of measurements.",
            "Samples will be analysed at laboratories in {city} and {city2}.",
            "The project cost about {amt} and involved scientists from {n1} countries.",
        ),
        quote=(
            '"We expected a few fragments, not an entire landscape," {p1s}, the {r1}, said.',
            '"It is far too early to say what the signal means, and that is what makes it '
            'exciting," {p1s} said.',
            '"Every image we receive rewrites a page of our textbooks," {p1s} said.',
        ),
        reaction=(
            "{p2}, a {r2} at the {o2} who was not involved in the work, called the "
            'results "careful and convincing".',
            'Other scientists urged caution. "Extraordinary claims need repeated '
            'observations," said {p2} of the {o2}.',
        ),
        background=(
            "The region around {loc} has been studied since the nineteenth century.",
            "Funding for basic research in {country} rose by {pct} percent this year.",
        ),
        next=(
            "The team plans a second expedition in the summer.",
            "Further observations are scheduled with a larger instrument next month.",
        ),
        update=(
            "In a follow-up statement on {wd}, the team said a second laboratory had "
            "reproduced the key measurement.",
        ),
    ),
    Theme(
        "outbreak",
        ("health",),
        ("doctor", "doctor"),
        ("health", "health"),
        "health",
        head=(
            "Measles cases rise in {city}, health officials warn",
            "{Nat} health agency urges vaccination as infections spread",
            "Hospitals in {city} postpone surgery amid flu surge",
            "{City} clinics extend hours as outbreak grows",
        ),
        lead=(
            "Health officials in {city} reported {n1} new measles cases on {wd}, bringing "
            "the total this month to {n2} and prompting calls for wider vaccination.",
            "The {o1} urged parents on {wd} to check their children's vaccination records "
            "after infections spread to schools across {country}.",
            "Hospitals in {city} postponed non-urgent operations on {wd} as a surge in flu "
            "admissions filled wards beyond capacity.",
            "Clinics across {city} will stay open late into the evening from {wd} to cope "
            "with a growing outbreak, the {o1} said.",
        ),
        detail=(
            "Most of the patients are children under ten who had not been vaccinated.",
            "The agency opened {n1} temporary vaccination centres in schools and libraries.",
            "Pharmacies reported shortages of fever medicine for children.",
            "Intensive care units were at {pct} percent of capacity on {wd}.",
        ),
        quote=(
            '"Vaccination remains the single most effective protection we have," said '
            "{p1}, the {r1} of the {o1}.",
            '"We are asking people with mild symptoms to stay home and call their doctor '
            'first," {p1s} said.',
            '"The next two weeks will decide how hard this season hits us," {p1s} said.',
        ),
        reaction=(
            "{p2}, {r2} at the {o2}, said staff were exhausted after months of pressure.",
            "The {o2} said it would send additional nurses to {city} from {city2}.",
        ),
        background=(
            "Vaccination rates in parts of {country} fell below the level needed to "
            "prevent outbreaks during the pandemic years.",
            "The last comparable outbreak, {n1} years ago, lasted nearly four months.",
        ),
        next=(
            "Officials will publish updated figures every morning.",
            "A public information campaign starts on radio and television next week.",
        ),
        update=(
            "Updated figures released on {wd} showed {n1} further cases, though the rate "
            "of new infections had begun to slow.",
        ),
    ),
    Theme(
        "trial",
        ("crime and law",),
        ("prosecutor", "defence"),
        ("justice", "company"),
        "crime",
        head=(
            "Former {o2} executive goes on trial over missing millions",
            "Court in {city} hears opening arguments in fraud case",
            "Prosecutors say {p2s} hid {amt} in shell firms",
            "{City} fraud trial opens with tense exchanges",
        ),
        lead=(
            "A former executive of {o2} went on trial in {city} on {wd}, accused of "
            "diverting {amt} through a network of shell companies.",
            "The {o1} heard opening arguments on {wd} in one of the largest fraud cases in "
            "{country} in a decade.",
            "Prosecutors told the {o1} on {wd} that the defendant had moved {amt} out of "
            "{o2} over {n1} years, hiding it in companies registered abroad.",
            "The fraud trial of a former {o2} manager opened in {city} on {wd} with lawyers "
            "clashing over evidence gathered in police raids.",
        ),
        detail=(
            "The defendant denies all charges and faces up to {n1} years in prison if convicted.",
            "Investigators seized documents and computers during raids on {n1} offices last year.",
            "More than {n2} witnesses are expected to testify over the coming months.",
            "The case came to light after an internal audit flagged irregular payments.",
        ),
        quote=(
            '"This was not a mistake, it was a system," {p1s}, the {r1}, told the court.',
            '"The evidence will show a deliberate pattern of deception," {p1s} said in '
            "the opening statement.",
            '"Ordinary shareholders paid the price for these decisions," {p1s} said.',
        ),
        reaction=(
            "{p2}, the {r2} representing the defendant, said the prosecution's case "
            'rested on "misread spreadsheets".',
            "The defence, led by {p2}, said it would call expert witnesses to explain "
            "the transactions.",
        ),
        background=(
            "The {ev} has drawn attention to weak oversight of company accounts in {country}.",
            "Two other former managers reached plea agreements with prosecutors last year.",
        ),
        next=(
            "The trial is scheduled to resume on Monday with testimony from auditors.",
            "A verdict is not expected before the summer.",
        ),
        update=(
            "On {wd}, the judge rejected a defence request to exclude evidence seized in "
            "the raids, allowing the prosecution to present it in full.",
        ),
    ),
    Theme(
        "robbery",
        ("crime and law",),
        ("prosecutor", "mayor"),
        ("justice", "justice"),
        "crime",
        head=(
            "Thieves steal jewels in night raid on {city} museum",
            "Police hunt gang after {city} museum heist",
            "{City} museum robbed of historic crown jewels",
            "Museum heist in {city} took less than eight minutes, police say",
        ),
        lead=(
            "Thieves broke into a museum in central {city} early on {wd} and escaped with "
            "jewellery worth an estimated {amt}, police said.",
            "The {o1} launched a manhunt on {wd} after a gang raided the city museum and "
            "made off with {n1} pieces of historic jewellery.",
            "A set of crown jewels was stolen from a museum in {city} before dawn on {wd}, "
            "in a raid that officials described as carefully planned.",
            "Museum robbers in {city} needed less than eight minutes to smash display cases "
            "and flee on {wd}, the {o1} said.",
        ),
        detail=(
            "The thieves disabled an alarm and entered through a service door.",
            "A getaway car was later found burnt out on the road to {city2}.",
            "Investigators are studying footage from more than {n1} cameras.",
            "The museum will remain closed while forensic teams examine the galleries.",
        ),
        quote=(
            '"These objects are priceless to our national history," {p1s}, the {r1}, said.',
            '"We have strong leads and we are following them day and night," {p1s} said.',
            '"Whoever did this knew the building well," {p1s} told reporters.',
        ),
        reaction=(
            '{p2}, the {r2} of {city}, called the theft "an attack on our shared memory".',
            "The {r2}, {p2}, said security at all municipal museums would be reviewed.",
        ),
        background=(
            "The museum holds one of the largest collections of jewellery in {country}.",
            "Several museums in the region have been targeted in recent years.",
        ),
        next=(
            "Police have asked anyone who saw a dark van near the museum to come forward.",
            "A reward for information leading to the return of the jewels was announced.",
        ),
        update=(
            "Police said on {wd} that {n1} suspects had been detained and part of the "
            "jewellery recovered in {city2}.",
        ),
    ),
    Theme(
        "quake",
        ("disaster and accident",),
        ("rescue", "mayor"),
        ("emergency", "charity"),
        "disaster",
        head=(
            "Strong earthquake shakes {city}, dozens injured",
            "Rescuers search rubble after quake near {city}",
            "{Nat} quake damages homes and roads across {loc}",
            "Aftershocks rattle {city} as death toll rises",
        ),
        lead=(
            "A magnitude 6.2 earthquake struck near {city} early on {wd}, injuring dozens of "
            "people and damaging hundreds of buildings, officials said.",
            "Rescue teams worked through the night into {wd} to reach people trapped under "
            "collapsed buildings near {city} after a strong earthquake.",
            "An earthquake shook {loc} on {wd}, cutting roads, bringing down power lines "
            "and damaging homes in {city} and surrounding villages.",
            "Strong aftershocks rattled {city} on {wd} as the number of people killed by "
            "the earthquake rose to {n1}, according to the {o1}.",
        ),
        detail=(
            "The quake was felt as far away as {city2}, where residents ran into the streets.",
            "At least {n2} people spent the night in tents set up in sports grounds.",
            "The main road into the area was blocked by a landslide.",
            "Engineers began inspecting bridges and schools for structural damage.",
        ),
        quote=(
            '"Our priority is to reach everyone who may still be trapped," said {p1}, '
            "{r1} of the {o1}.",
            '"We heard a roar, then everything began to move," a resident told '
            "rescuers, according to {p1s}.",
            '"Teams are working in shifts around the clock," {p1s} said.',
        ),
        reaction=(
            "{p2}, {r2} of {city}, appealed for blankets, water and volunteers with "
            "medical training.",
            "The {o2} opened collection points for donations in {city2}.",
        ),
        background=(
            "{loc} lies on an active fault and has suffered damaging earthquakes before.",
            "Building codes in {country} were tightened after a deadly earthquake a "
            "generation ago.",
        ),
        next=(
            "Seismologists warned that further aftershocks were likely in the coming days.",
            "Schools in the area will remain closed until inspections are complete.",
        ),
        update=(
            "The {o1} said on {wd} that the death toll had risen to {n1} and that search "
            "operations would continue for at least another day.",
        ),
    ),
    Theme(
        "derailment",
        ("disaster and accident",),
        ("rescue", "exec"),
        ("emergency", "employer"),
        "disaster",
        head=(
            "Train derails near {city}, {n1} injured",
            "Passenger train leaves tracks outside {city}",
            "Investigators study cause of {city} rail accident",
            "Rail line to {city2} closed after derailment",
        ),
        lead=(
            "A passenger train derailed near {city} on {wd}, injuring {n1} people, {n1} of "
            "them seriously, emergency services said.",
            "Several carriages of a regional train left the tracks outside {city} on {wd} "
            "shortly after it left the station.",
            "Investigators began examining the tracks near {city} on {wd} after a "
            "derailment that injured {n1} passengers.",
            "The rail line between {city} and {city2} was closed on {wd} after a train "
            "came off the tracks.",
        ),
        detail=(
            "The train was carrying about {n2} passengers at the time.",
            "Buses were laid on to take stranded travellers onward.",
            "Heavy rain in recent days had softened the embankment, officials said.",
            "The driver was taken to hospital with minor injuries.",
        ),
        quote=(
            '"The carriages stayed upright, which almost certainly saved lives," said '
            "{p1}, {r1} of the {o1}.",
            '"We are cooperating fully with the investigators," {p1s} said.',
            '"It will take several days to repair the line," {p1s} said.',
        ),
        reaction=(
            "{p2}, {r2} of the {o2}, said every kilometre of track in the region would be checked.",
            "The {o2} apologised to passengers and promised refunds.",
        ),
        background=(
            "It is the second derailment in {country} this year.",
            "The line was due for modernisation, but the work was postponed.",
        ),
        next=(
            "A preliminary report is expected within a month.",
            "Services are expected to resume on Monday.",
        ),
        update=(
            "Investigators said on {wd} that a broken rail joint was the most likely "
            "cause of the derailment.",
        ),
    ),
    Theme(
        "storm",
        ("weather", "disaster and accident"),
        ("forecaster", "mayor"),
        ("weather", "emergency"),
        "weather",
        head=(
            "{Ev} batters {country} with gale-force winds",
            "Thousands without power as {ev} sweeps in",
            "Red weather warning issued for {city}",
            "Flooding closes roads across {loc} as {ev} passes",
        ),
        lead=(
            "{ev} swept across {country} on {wd} with gusts of up to {n2} kilometres an "
            "hour, toppling trees and cutting power to thousands of homes.",
            "About {n2} households were left without electricity on {wd} as {ev} brought "
            "heavy rain and gale-force winds to {city}.",
            "The {o1} issued a red warning for {city} on {wd}, its highest level, as {ev} "
            "approached the coast.",
            "Rivers burst their banks across {loc} on {wd} as {ev} dumped more than a "
            "month's rain in a single day.",
        ),
        detail=(
            "Ferry services to {city2} were cancelled and several flights were diverted.",
            "Firefighters responded to more than {n2} calls, mostly for fallen trees.",
            "Schools in coastal districts were closed as a precaution.",
            "Sandbags were handed out to residents in low-lying streets.",
        ),
        quote=(
            '"Stay indoors and away from the seafront until the warning is lifted," said '
            "{p1}, the {r1} at the {o1}.",
            '"This is one of the strongest storms we have seen this winter," {p1s} said.',
            '"The worst should pass by the evening, but the rivers will stay high," {p1s} said.',
        ),
        reaction=(
            "{p2}, the {r2} of {city}, said emergency shelters had been opened in sports halls.",
            "The {o2} said crews would work through the night to restore power.",
        ),
        background=(
            "{ev} is the {n1}th named storm of the season.",
            "Scientists say warmer seas are making heavy rainfall more likely in the region.",
        ),
        next=(
            "Calmer weather is forecast from the weekend.",
            "Insurers expect thousands of claims for damaged roofs and cars.",
        ),
        update=(
            "By {wd} evening power had been restored to most homes, but {n1} roads around "
            "{city} remained closed by flooding.",
        ),
    ),
    Theme(
        "climate",
        ("environment",),
        ("activist", "gov"),
        ("green", "ministry"),
        "environment",
        head=(
            "{Nat} government unveils plan to protect {loc}",
            "Campaigners sue over pollution in {loc}",
            "Wetland restoration brings birds back to {loc}",
            "{City} bans cars from centre on weekends",
        ),
        lead=(
            "The government of {country} announced on {wd} a plan to protect {loc}, "
            "creating a reserve covering {n2} square kilometres.",
            "Environmental campaigners filed a lawsuit on {wd} accusing the authorities of "
            "failing to stop pollution flowing into {loc}.",
            "Rare wading birds have returned to {loc} after a {n1}-year project to restore "
            "its wetlands, the {o1} said on {wd}.",
            "Officials in {city} said on {wd} that cars would be banned from the historic "
            "centre on weekends from next month to cut air pollution.",
        ),
        detail=(
            "Fishing and mining will be restricted in the most sensitive areas.",
            "Tests found levels of nitrates far above the legal limit at {n1} sites.",
            "Volunteers planted more than {n2} thousand reeds and willows.",
            "The plan is expected to cost {amt} over ten years.",
        ),
        quote=(
            '"Nature does not negotiate, so we cannot wait any longer," said {p1}, {r1} '
            "of the {o1}.",
            '"This shows what happens when you give a landscape room to heal," {p1s} said.',
            '"We want our children to breathe clean air in their own city," {p1s} said.',
        ),
        reaction=(
            '{p2}, the {r2}, said the government "shares the goal but not the timetable".',
            "Farmers' groups said the rules would hurt livelihoods around {city2}.",
        ),
        background=(
            "{loc} is home to several endangered species and draws thousands of "
            "visitors every year.",
            "{country} committed at the {ev} to halve emissions by the end of the decade.",
        ),
        next=(
            "A public consultation will run until the summer.",
            "The first hearing in the case is expected in the autumn.",
        ),
        update=(
            "The {o2} said on {wd} that it would publish water quality data for {loc} every month.",
        ),
    ),
    Theme(
        "strike",
        ("labour", "economy and business"),
        ("unionist", "exec"),
        ("union", "employer"),
        "labour",
        head=(
            "Dock workers walk out in {city} over pay",
            "Strike halts trains across {country}",
            "{O1} calls {n1}-day stoppage as talks collapse",
            "Ports idle as {city} strike enters second day",
        ),
        lead=(
            "Dock workers in {city} began a strike on {wd} over pay and working hours, "
            "leaving container ships waiting at anchor outside the harbour.",
            "Rail services across {country} came to a near standstill on {wd} as staff "
            "walked out in a dispute over pensions.",
            "The {o1} called a {n1}-day stoppage on {wd} after talks with employers broke "
            "down without agreement.",
            "Cargo piled up at the port of {city} on {wd} as a strike by harbour workers "
            "entered its second day.",
        ),
        detail=(
            "The union is demanding a pay rise of {pct} percent to keep up with prices.",
            "Employers offered less than half of that, saying higher wages would cost jobs.",
            "Businesses warned that shortages could reach supermarket shelves within days.",
            "Picket lines formed at the main gates before dawn.",
        ),
        quote=(
            '"Our members keep this country supplied, and they deserve a fair wage," '
            "said {p1}, {r1} of the {o1}.",
            '"Nobody wants to strike, but we have been left with no choice," {p1s} said.',
            '"The door to negotiation remains open," {p1s} told a rally in {city}.',
        ),
        reaction=(
            '{p2}, {r2} of the {o2}, called the strike "disproportionate and damaging".',
            "The {o2} said the walkout would cost the economy {amt} a day.",
        ),
        background=(
            "Wages in {country} have lagged behind inflation for two years.",
            "The last major strike at the port lasted almost three weeks.",
        ),
        next=(
            "A mediator will meet both sides in {city2} on Monday.",
            "Further walkouts are planned for next month if no deal is reached.",
        ),
        update=(
            "Both sides agreed on {wd} to return to mediated talks, and the {o1} "
            "suspended a planned second walkout.",
        ),
    ),
    Theme(
        "schools",
        ("education", "society"),
        ("teacher", "teacher"),
        ("school", "union"),
        "education",
        head=(
            "{Nat} schools to teach coding from age eight",
            "Exam results in {city} show reading gap widening",
            "Teacher shortage forces {city} schools to merge classes",
            "Free school meals extended across {country}",
        ),
        lead=(
            "Children in {country} will learn computer programming from the age of eight "
            "under curriculum changes announced on {wd}.",
            "Results published on {wd} show that the gap in reading skills between schools "
            "in {city} and the rest of {country} has grown for a third year.",
            "Schools in {city} have merged classes and shortened timetables because of a "
            "shortage of {n2} teachers, the {o1} said on {wd}.",
            "All primary school pupils in {country} will receive free lunches from the "
            "autumn, the government said on {wd}.",
        ),
        detail=(
            "The changes will be introduced gradually over {n1} years.",
            "Pupils in poorer districts scored on average {n1} points lower.",
            "Some classes now have more than {n1} children.",
            "The programme is expected to cost {amt} a year.",
        ),
        quote=(
            '"Every child should understand the machines that shape their lives," said '
            "{p1}, the {r1}.",
            '"Good teachers are the foundation of everything, and we are losing them," {p1s} said.',
            '"A hungry child cannot learn," {p1s} said.',
        ),
        reaction=(
            "{p2}, {r2} of the {o2}, welcomed the plan but said schools needed more "
            "staff to deliver it.",
            'The {o2} said the announcement came "years too late".',
        ),
        background=(
            "{country} ranks in the middle of regional tables for maths and reading.",
            "Teacher salaries in {country} have fallen in real terms over the past decade.",
        ),
        next=(
            "Details will be published before the {ev}.",
            "Parents can comment on the proposals until the end of the term.",
        ),
        update=(
            "The {o1} said on {wd} that {n2} additional teachers would be hired before "
            "the next school year.",
        ),
    ),
    Theme(
        "match",
        ("sport",),
        ("coach", "athlete"),
        ("club", "club"),
        "sport",
        head=(
            "{O1} beat {o2} to reach final",
            "Late goal sends {o1} through",
            "{P2s} double lifts {o1} into final",
            "{O2} knocked out after dramatic semi-final",
        ),
        lead=(
            "{o1} beat {o2} 3-2 on {wd} to reach the final of {ev}, with a goal deep into "
            "stoppage time.",
            "A header in the final minute sent {o1} into the final of {ev} on {wd} and left "
            "{o2} stunned.",
            "{p2} scored twice as {o1} came from behind to beat {o2} in the semi-final of "
            "{ev} on {wd}.",
            "{o2} were knocked out of {ev} on {wd} after a dramatic semi-final against "
            "{o1} in front of {n2} spectators.",
        ),
        detail=(
            "The home side trailed 2-0 at half-time before a tactical change turned the match.",
            "The stadium in {city} was sold out for the first time this season.",
            "The visitors had a goal disallowed for offside in the second half.",
            "The final will be played in {city2} in two weeks.",
        ),
        quote=(
            '"At half-time I told them we had nothing to lose," said {p1}, the {r1} of {o1}.',
            '"I have dreamed of this since I was a boy," said {p2s}.',
            '"The fans carried us in the last twenty minutes," {p1s} said.',
        ),
        reaction=(
            '{p2s}, the {r2}, said the team had "run on pure belief".',
            "Supporters celebrated in the streets of {city} until long after midnight.",
        ),
        background=(
            "{o1} last reached the final of {ev} {n1} years ago.",
            "The club was almost relegated two seasons ago.",
        ),
        next=(
            "Tickets for the final go on sale on Monday.",
            "{o1} play a league match against {o2} at the weekend.",
        ),
        update=(
            "{o1} said on {wd} that {p2s} had recovered from a knock and would be fit "
            "for the final.",
        ),
    ),
    Theme(
        "festival",
        ("arts and culture",),
        ("artist", "mayor"),
        ("culture", "culture"),
        "culture",
        head=(
            "{Ev} opens with record crowds",
            "Debut film wins top prize at {ev}",
            "{City} celebrates as {ev} returns",
            "Lost symphony performed for first time in {city}",
        ),
        lead=(
            "{ev} opened in {city} on {wd} with record crowds and a programme of more than "
            "{n2} works from {n1} countries.",
            "A debut film about a lighthouse keeper's daughter won the top prize at {ev} on {wd}.",
            "Thousands filled the squares of {city} on {wd} as {ev} returned after a "
            "two-year break.",
            "The {o1} performed on {wd} a symphony that had been lost for more than a "
            "century until its score turned up in an attic in {city2}.",
        ),
        detail=(
            "Tickets for the opening weekend sold out within hours.",
            'The jury praised the film\'s "quiet courage and patient camera".',
            "Street performers and brass bands lined the riverfront.",
            "Musicians spent months reconstructing missing pages of the score.",
        ),
        quote=(
            '"Art is the way a city talks to itself," said {p1}, the {r1} of the {o1}.',
            '"I made this film for my grandmother, who never saw the sea," the director '
            "said, according to {p1s}.",
            '"We wanted the festival to belong to everyone, not only to ticket holders," '
            "{p1s} said.",
        ),
        reaction=(
            "{p2}, the {r2} of {city}, said the event brought {amt} into the local economy.",
            "Critics were divided, with some calling the programme too cautious.",
        ),
        background=(
            "{ev} was founded after the war as a small gathering of local artists.",
            "Cultural budgets in {country} were cut sharply during the last recession.",
        ),
        next=(
            "The festival runs until the end of next week.",
            "A touring version will visit {city2} in the autumn.",
        ),
        update=(
            "Organisers said on {wd} that attendance had passed {n2} thousand, a record "
            "for the event.",
        ),
    ),
    Theme(
        "faith",
        ("religion", "society"),
        ("cleric", "mayor"),
        ("religion", "religion"),
        "religion",
        head=(
            "Thousands join {ev} in {city}",
            "Restored abbey reopens to pilgrims near {city}",
            "Faith leaders in {country} call for calm",
            "{City} cathedral bells ring again after repair",
        ),
        lead=(
            "Thousands of pilgrims gathered in {city} on {wd} for {ev}, walking in "
            "procession through the old town.",
            "The {o1} reopened to visitors on {wd} after a restoration that took {n1} years "
            "and cost {amt}.",
            "Leaders of the main faiths in {country} issued a joint call for calm on {wd} "
            "after a week of tension in {city}.",
            "The bells of the cathedral in {city} rang on {wd} for the first time since "
            "they were damaged in a fire.",
        ),
        detail=(
            "Volunteers handed out water and bread along the route.",
            "Craftsmen restored frescoes and rebuilt the cloister roof by hand.",
            "The statement was read aloud in churches, mosques and synagogues.",
            "The bells were recast in a foundry in {city2}.",
        ),
        quote=(
            '"Faith is a bridge, never a wall," said {p1}, the {r1}.',
            '"These stones have seen eight centuries of prayer," {p1s} said.',
            '"We pray together and we rebuild together," {p1s} said.',
        ),
        reaction=(
            "{p2}, the {r2} of {city}, thanked volunteers for their work.",
            "The {o2} said it would hold an open day for schools.",
        ),
        background=(
            "{ev} dates back to the Middle Ages.",
            "The abbey had been closed to the public for safety reasons.",
        ),
        next=(
            "Celebrations continue through the weekend.",
            "A concert will mark the anniversary next month.",
        ),
        update=(
            "Organisers said on {wd} that more than {n2} people had taken part, and that "
            "the procession would be repeated next year.",
        ),
    ),
    Theme(
        "kindness",
        ("human interest", "society"),
        ("volunteer", "mayor"),
        ("charity", "charity"),
        "human",
        head=(
            "Retired teacher, 91, finishes {ev}",
            "Fishermen rescue stranded dolphin near {city}",
            "{City} neighbours rebuild bakery after fire",
            "Lost dog walks {n1} kilometres home to {city}",
        ),
        lead=(
            "A 91-year-old retired teacher from {city} crossed the finish line of {ev} on "
            "{wd}, cheered on by hundreds of former pupils.",
            "Fishermen off the coast near {city} freed a young dolphin on {wd} after it "
            "became trapped in a drifting net.",
            "Neighbours in {city} spent their weekends rebuilding a family bakery destroyed "
            "by fire, and it reopened on {wd}.",
            "A dog that went missing during a family holiday walked {n1} kilometres back to "
            "its home in {city}, its owners said on {wd}.",
        ),
        detail=(
            "She trained for months by walking the seafront every morning.",
            "The animal swam away after the crew cut the net with kitchen knives.",
            "Local builders donated materials and a carpenter worked for free.",
            "The dog was thin and tired but otherwise healthy, a vet said.",
        ),
        quote=(
            '"I wanted to show my grandchildren that age is just a number," she told '
            "{p1}, the {r1} of the {o1}.",
            '"You do what you can when a creature needs help," {p1s} said.',
            '"This street looks after its own," said {p1}, who organised the effort.',
        ),
        reaction=(
            '{p2}, the {r2} of {city}, said the story had "lifted the whole town".',
            "The {o2} invited the family to a celebration at the town hall.",
        ),
        background=(
            "The story spread quickly on social media and local radio.",
            "{city} has a long tradition of community fundraising.",
        ),
        next=(
            "A mural celebrating the moment is planned for the harbour wall.",
            "The family plans to hold a street party next month.",
        ),
        update=("On {wd}, the {o2} said donations inspired by the story had reached {amt}.",),
    ),
    Theme(
        "food",
        ("lifestyle",),
        ("volunteer", "artist"),
        ("food", "culture"),
        "lifestyle",
        head=(
            "{Ev} draws food lovers to {city}",
            "Night markets return to {city}",
            "{Nat} bakers revive forgotten rye bread",
            "Rooftop gardens spread across {city}",
        ),
        lead=(
            "{ev} opened in {city} on {wd}, with {n2} stalls selling dishes from every "
            "region of {country}.",
            "Night markets returned to the old port of {city} on {wd}, drawing crowds to "
            "candlelit stalls of street food and crafts.",
            "Bakers across {country} are reviving a dark rye loaf that had almost "
            "disappeared, the {o1} said on {wd}.",
            "More than {n2} rooftops in {city} now host vegetable gardens, according to a "
            "survey published on {wd}.",
        ),
        detail=(
            "Queues formed early for smoked fish and honey cakes.",
            "Musicians played on a small stage beside the water.",
            "The recipe uses a slow sourdough that takes two days to rise.",
            "Residents grow tomatoes, beans and herbs on former car park roofs.",
        ),
        quote=(
            '"Food is the easiest way to meet a stranger," said {p1}, {r1} of the {o1}.',
            '"People are hungry for things that take time," {p1s} said.',
            '"My grandmother baked this bread, and now my daughter does," {p1s} said.',
        ),
        reaction=(
            "{p2}, the {r2} of the {o2}, said the markets had revived a quiet district.",
            "Restaurant owners said the event brought welcome trade in a slow season.",
        ),
        background=(
            "Street food has become a growing part of tourism in {country}.",
            "Urban gardening groups in {city} have doubled in size in five years.",
        ),
        next=(
            "The market runs every Friday and Saturday until the autumn.",
            "A guide to the city's rooftop gardens will be published online.",
        ),
        update=("Organisers said on {wd} that the market would be extended to {city2} next year.",),
    ),
)

THEME_BY_NAME: dict[str, Theme] = {t.name: t for t in THEMES}

# Sentences that fit any event; used to reach the article's length.
GENERIC: tuple[str, ...] = (
    "Officials in {city} did not respond to requests for further comment on {wd} evening.",
    "Local radio stations in {city} interrupted regular programming to report the news.",
    "The announcement dominated conversation in cafés and on trams across {city}.",
    "Opinion polls suggest that most {nat} voters follow the issue closely.",
    "Residents of {city2} said they were watching developments with concern.",
    "The story was the most read item on several {nat} news sites throughout {wd}.",
    "Similar debates have taken place in neighbouring countries over the past year.",
    "It was not immediately clear how the decision would affect people outside {city}.",
    "A spokesperson for the {o1} said more details would be released in the coming days.",
    "Several hundred people followed a live stream of the briefing from {city}.",
    "Independent experts said the full impact would take months to assess.",
    "The {o2} has said it will publish its own assessment before the end of the month.",
    "Newspapers in {country} devoted their front pages to the events of {wd}.",
    "Community groups in {city} organised meetings to discuss what happens next.",
    "According to figures from the {o1}, the numbers have risen steadily since January.",
    "Critics argue that the problem was foreseeable and that warnings were ignored.",
    "Supporters say the approach could become a model for other regions of {country}.",
    "Tourism officials in {city} said visitor numbers had not yet been affected.",
    "In {city2}, reactions were more muted, with many residents saying they needed more "
    "information.",
    "The issue is expected to feature in parliamentary questions next week.",
    "{p1s} has held the post for {n1} years and is widely respected in {city}.",
    "Commentators on {nat} television described the day as unusually eventful.",
)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass
class Event:
    """One made-up happening: the theme, the slot values and the named entities they contain."""

    key: str
    theme: Theme
    country_idx: int
    slots: dict[str, str]
    entities: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)


def _person(rng: random.Random, avoid: set[str]) -> str:
    while True:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        surname = name.split(" ", 1)[1]
        if name not in avoid and surname not in {n.split(" ", 1)[1] for n in avoid}:
            avoid.add(name)
            return name


def make_event(
    seed: int | str,
    key: str,
    theme: str | None = None,
    country: int | None = None,
    weekday: int | None = None,
) -> Event:
    """A deterministic event for (seed, key); theme/country are forced for hard negatives."""
    rng = random.Random(f"{seed}:event:{key}")
    th = THEME_BY_NAME[theme] if theme else rng.choice(THEMES)
    ci = country if country is not None else rng.randrange(len(COUNTRIES))
    cname, nat, cities, locs = COUNTRIES[ci]
    city, city2 = rng.sample(cities, 2)
    loc = rng.choice(locs)
    fmt = {"nat": nat, "city": city, "country": cname}
    o1 = rng.choice(ORG_KINDS[th.orgs[0]]).format(**fmt)
    o2 = o1
    while o2 == o1:  # the second organisation is based in the second city
        o2 = rng.choice(ORG_KINDS[th.orgs[1]]).format(**{**fmt, "city": city2})
    ev = rng.choice(EVENT_PATTERNS[th.events]).format(**fmt)
    people: set[str] = set()
    p1, p2 = _person(rng, people), _person(rng, people)
    amt_n = rng.choice((rng.randint(12, 950), rng.randint(11, 95) / 10))
    amt = f"{amt_n} million crowns" if isinstance(amt_n, int) else f"{amt_n} billion crowns"
    slots = {
        "p1": p1,
        "p1s": p1.split(" ", 1)[1],
        "r1": rng.choice(ROLES[th.roles[0]]),
        "o1": o1,
        "p2": p2,
        "p2s": p2.split(" ", 1)[1],
        "r2": rng.choice(ROLES[th.roles[1]]),
        "o2": o2,
        "city": city,
        "city2": city2,
        "country": cname,
        "nat": nat,
        "loc": loc,
        "ev": ev,
        "n1": str(rng.randint(3, 19)),
        "n2": str(rng.randint(40, 900)),
        "amt": amt,
        "pct": f"{rng.randint(11, 89) / 10 + rng.randint(0, 60):.1f}",
        "wd": WEEKDAYS[weekday] if weekday is not None else rng.choice(WEEKDAYS),
    }
    for k in ("p1s", "p2s", "r1", "o1", "o2", "nat", "ev", "city"):
        slots[k.capitalize()] = slots[k][:1].upper() + slots[k][1:]
    ents: list[tuple[str, str, tuple[str, ...]]] = [
        (p1, "PERSON", (slots["p1s"],)),
        (p2, "PERSON", (slots["p2s"],)),
        (o1, "ORG", ()),
        (o2, "ORG", ()),
        (city, "GPE", ()),
        (city2, "GPE", ()),
        (cname, "GPE", ()),
        (nat, "NORP", ()),
        (loc.removeprefix("the "), "LOC", ()),
        (ev.removeprefix("the "), "EVENT", ()),
    ]
    return Event(key, th, ci, slots, ents)


def fill(frame: str, slots: dict[str, str]) -> str:
    text = frame.format_map(slots)
    return text[:1].upper() + text[1:]


def headline(ev: Event, variant: int) -> str:
    h = ev.theme.head
    return fill(h[variant % len(h)], ev.slots)


def compose(ev: Event, rng: random.Random, variant: int, n_paragraphs: int) -> list[str]:
    """Body paragraphs for one outlet's report of `ev`; `variant` picks the lead's wording."""
    th, s = ev.theme, ev.slots
    lead = fill(th.lead[variant % len(th.lead)], s)
    detail = list(th.detail)
    rng.shuffle(detail)
    generic = list(GENERIC)
    rng.shuffle(generic)
    quotes = [th.quote[(variant + i) % len(th.quote)] for i in range(len(th.quote))]
    # A story skeleton real reporters use: lead, fact, quote, more facts, reaction, context.
    blocks: list[list[str]] = [
        [lead],
        [detail[0], detail[1]] if variant % 2 else [detail[0]],
        [quotes[0]],
        [detail[2] if variant % 2 else detail[1], generic[0]],
        [rng.choice(th.reaction)],
        [rng.choice(th.background), generic[1]],
        [quotes[1]],
        [detail[3] if variant % 2 else detail[2], generic[2]],
        [th.next[variant % len(th.next)]],
    ]
    extra = [
        [generic[3], generic[4]],
        [quotes[2]],
        [generic[5], th.background[(variant + 1) % len(th.background)]],
        [generic[6]],
    ]
    while len(blocks) < n_paragraphs and extra:
        blocks.insert(len(blocks) - 1, extra.pop(0))
    if n_paragraphs < len(blocks):
        keep = [0, *sorted(rng.sample(range(1, len(blocks) - 1), n_paragraphs - 2))]
        blocks = [blocks[i] for i in keep] + [blocks[-1]]
    sentences = [[fill(x, s) for x in b] for b in blocks]
    # Reporters name a person in full at first mention, whatever order the sentences ended in.
    for full, short in ((s["p1"], s["p1s"]), (s["p2"], s["p2s"])):
        pat = re.compile(rf"(?<![\w-]){re.escape(short)}(?![\w-])")
        done = False
        for b in sentences:
            for j, x in enumerate(b):
                if done:
                    break
                pos = x.find(full)
                m = pat.search(x)
                if m and (pos < 0 or m.start() < pos + len(full) - len(short)):
                    b[j] = x[: m.start()] + full + x[m.end() :]
                done = done or pos >= 0 or m is not None
    return [" ".join(b) for b in sentences]


def update_paragraph(ev: Event, weekday: int) -> str:
    return fill(ev.theme.update[0], {**ev.slots, "wd": WEEKDAYS[weekday]})


def count_entities(ev: Event, texts: list[str]) -> list[tuple[str, str, int, tuple[str, ...]]]:
    """Mentions of the event's entities (aliases included), longest name first, no overlaps."""
    names: dict[str, str] = {}
    for name, _label, aliases in ev.entities:
        names.setdefault(name, name)
        for a in aliases:
            names.setdefault(a, name)
    pattern = re.compile(
        r"(?<![\w-])("
        + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        + r")(?![\w-])"
    )
    counts: dict[str, int] = {}
    for t in texts:
        for m in pattern.finditer(t):
            canon = names[m.group(1)]
            counts[canon] = counts.get(canon, 0) + 1
    out = []
    for name, label, aliases in ev.entities:
        if counts.get(name) and all(o[0] != name for o in out):
            out.append((name, label, counts[name], aliases))
    return out
