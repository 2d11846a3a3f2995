"""Hand-written name lists behind the fast entity tagger.

The default tagger must run offline at well over 100 articles/s per core, which
rules out a statistical model over every token. These lists give it what a model
would otherwise learn: which capitalised names are places, groups and well-known
organisations, which first names and titles announce a person, and which words
end an organisation, place or event name. They are deliberately compact (common
news vocabulary, not an encyclopaedia); unknown names are still found and labelled
by context (see `tasks.enrich.nlp`).
"""

from __future__ import annotations


def words(text: str) -> list[str]:
    return text.split()


def _lines(block: str) -> list[str]:
    return [line.strip() for line in block.strip().splitlines() if line.strip()]


def _alias_map(block: str) -> dict[str, str]:
    """`Canonical | alias | alias` lines -> {surface form: canonical}."""
    out: dict[str, str] = {}
    for line in _lines(block):
        names = [n.strip() for n in line.split("|") if n.strip()]
        for name in names:
            out[name] = names[0]
    return out


# Countries and other sovereign or widely recognised states (GPE), with common short forms.
_COUNTRIES = """
Afghanistan
Albania
Algeria
Andorra
Angola
Argentina
Armenia
Australia
Austria
Azerbaijan
Bahamas | The Bahamas
Bahrain
Bangladesh
Barbados
Belarus
Belgium
Belize
Benin
Bhutan
Bolivia
Bosnia and Herzegovina | Bosnia
Botswana
Brazil
Brunei
Bulgaria
Burkina Faso
Burundi
Cambodia
Cameroon
Canada
Cape Verde
Central African Republic
Chad
Chile
China | People's Republic of China | PRC | Mainland China
Colombia
Comoros
Democratic Republic of the Congo | DRC | DR Congo
Congo | Republic of the Congo
Costa Rica
Croatia
Cuba
Cyprus
Czech Republic | Czechia
Denmark
Djibouti
Dominican Republic
Ecuador
Egypt
El Salvador
Equatorial Guinea
Eritrea
Estonia
Eswatini | Swaziland
Ethiopia
Fiji
Finland
France
Gabon
Gambia | The Gambia
Georgia
Germany
Ghana
Greece
Greenland
Guatemala
Guinea
Guyana
Haiti
Honduras
Hong Kong
Hungary
Iceland
India
Indonesia
Iran
Iraq
Ireland | Republic of Ireland
Israel
Italy
Ivory Coast | Côte d'Ivoire
Jamaica
Japan
Jordan
Kazakhstan
Kenya
Kosovo
Kuwait
Kyrgyzstan
Laos
Latvia
Lebanon
Lesotho
Liberia
Libya
Liechtenstein
Lithuania
Luxembourg
Macau | Macao
Madagascar
Malawi
Malaysia
Maldives
Mali
Malta
Mauritania
Mauritius
Mexico
Moldova
Monaco
Mongolia
Montenegro
Morocco
Mozambique
Myanmar | Burma
Namibia
Nepal
Netherlands | The Netherlands | Holland
New Zealand
Nicaragua
Niger
Nigeria
North Korea | Democratic People's Republic of Korea | DPRK
North Macedonia | Macedonia
Norway
Oman
Pakistan
Palestine | Palestinian Territories
Panama
Papua New Guinea
Paraguay
Peru
Philippines | The Philippines
Poland
Portugal
Puerto Rico
Qatar
Romania
Russia | Russian Federation
Rwanda
San Marino
Saudi Arabia
Senegal
Serbia
Seychelles
Sierra Leone
Singapore
Slovakia
Slovenia
Somalia
South Africa
South Korea | Republic of Korea | S. Korea
South Sudan
Spain
Sri Lanka
Sudan
Suriname
Sweden
Switzerland
Syria
Taiwan
Tajikistan
Tanzania
Thailand
Timor-Leste | East Timor
Togo
Tonga
Trinidad and Tobago
Tunisia
Turkey | Türkiye
Turkmenistan
Uganda
Ukraine
United Arab Emirates | UAE
United Kingdom | UK | U.K. | Britain | Great Britain
United States | US | U.S. | USA | U.S.A. | America | United States of America
Uruguay
Uzbekistan
Vatican City | Vatican
Venezuela
Vietnam | Viet Nam
Yemen
Zambia
Zimbabwe
England
Scotland
Wales
Northern Ireland
"""

# US states, provinces and well-known sub-national regions that are governments (GPE).
_SUBNATIONAL = """
Alabama
Alaska
Arizona
Arkansas
California
Colorado
Connecticut
Delaware
Florida
Hawaii
Idaho
Illinois
Indiana
Iowa
Kansas
Kentucky
Louisiana
Maine
Maryland
Massachusetts
Michigan
Minnesota
Mississippi
Missouri
Montana
Nebraska
Nevada
New Hampshire
New Jersey
New Mexico
New York State
North Carolina
North Dakota
Ohio
Oklahoma
Oregon
Pennsylvania
Rhode Island
South Carolina
South Dakota
Tennessee
Texas
Utah
Vermont
Virginia
Washington State
West Virginia
Wisconsin
Wyoming
Ontario
Quebec
British Columbia
Alberta
Bavaria
Catalonia
Crimea
Donetsk
Luhansk
Kherson
Zaporizhzhia
Kursk
Belgorod
Xinjiang
Tibet
Kashmir
Punjab
Gaza | Gaza Strip
West Bank
Chechnya
Kurdistan
Siberia
Quebec
Scotland
Queensland
New South Wales
Victoria State
"""

# Cities that news names without further context (GPE).
_CITIES = """
New York | New York City | NYC
Washington | Washington, D.C. | Washington DC
Los Angeles | LA
San Francisco
Chicago
Boston
Seattle
Houston
Dallas
Miami
Atlanta
Philadelphia
Detroit
Denver
Phoenix
Las Vegas
New Orleans
Baltimore
Minneapolis
Pittsburgh
Cleveland
Austin
San Diego
San Jose
Portland
Nashville
Honolulu
Silicon Valley
Toronto
Montreal
Vancouver
Ottawa
Mexico City
London
Paris
Berlin
Madrid
Barcelona
Rome
Milan
Vienna
Amsterdam
Brussels
Geneva
Zurich
Stockholm
Oslo
Copenhagen
Helsinki
Dublin
Edinburgh
Manchester
Liverpool
Birmingham
Lisbon
Athens
Warsaw
Prague
Budapest
Bucharest
Sofia
Belgrade
Kyiv | Kiev
Kharkiv
Odesa | Odessa
Lviv
Mariupol
Bakhmut
Moscow
St. Petersburg | Saint Petersburg
Minsk
Istanbul
Ankara
Tehran
Baghdad
Damascus
Beirut
Jerusalem
Tel Aviv
Cairo
Riyadh
Dubai
Abu Dhabi
Doha
Kabul
Islamabad
Karachi
Lahore
New Delhi | Delhi
Mumbai
Bangalore | Bengaluru
Kolkata
Chennai
Dhaka
Beijing
Shanghai
Shenzhen
Guangzhou
Wuhan
Hong Kong
Taipei
Tokyo
Osaka
Seoul
Pyongyang
Bangkok
Hanoi
Ho Chi Minh City
Manila
Jakarta
Kuala Lumpur
Sydney
Melbourne
Auckland
Johannesburg
Cape Town
Nairobi
Lagos
Abuja
Addis Ababa
Khartoum
Buenos Aires
Sao Paulo | São Paulo
Rio de Janeiro
Brasilia
Bogota | Bogotá
Lima
Santiago
Caracas
Havana
Davos
Brussels
Strasbourg
The Hague
"""

# Continents, seas and other regions without a government (LOC).
_LOCATIONS = """
Europe
Asia
Africa
North America
South America
Latin America
Central America
Middle East
East Asia
South Asia
Southeast Asia
Central Asia
Eastern Europe
Western Europe
Northern Europe
Southern Europe
Northern Asia
Scandinavia
Balkans
Caucasus
Sahel
Arctic
Antarctica | Antarctic
Pacific | Pacific Ocean
Atlantic | Atlantic Ocean
Indian Ocean
Mediterranean | Mediterranean Sea
Black Sea
Baltic Sea | Baltic
Red Sea
South China Sea
Persian Gulf | Gulf
Korean Peninsula
Indo-Pacific
Amazon rainforest
Himalayas
Alps
Earth
Moon
Mars
Jupiter
Saturn
Venus
Mercury
Europa
Milky Way
Silicon Valley
Wall Street
Hollywood
"""

# Nationalities, religious and political groups (NORP): adjective form -> group name.
_NORP = """
American | Americans
British | Briton | Britons
English
Scottish | Scot | Scots
Welsh
Irish
French
German | Germans
Italian | Italians
Spanish
Portuguese
Dutch
Belgian | Belgians
Swiss
Austrian | Austrians
Swedish | Swede | Swedes
Norwegian | Norwegians
Danish | Dane | Danes
Finnish | Finn | Finns
Polish | Pole | Poles
Czech | Czechs
Slovak | Slovaks
Hungarian | Hungarians
Romanian | Romanians
Bulgarian | Bulgarians
Greek | Greeks
Serbian | Serb | Serbs
Croatian | Croat | Croats
Ukrainian | Ukrainians
Russian | Russians
Belarusian | Belarusians
Georgian | Georgians
Armenian | Armenians
Turkish | Turk | Turks
Kurdish | Kurd | Kurds
Iranian | Iranians | Persian
Iraqi | Iraqis
Syrian | Syrians
Lebanese
Israeli | Israelis
Palestinian | Palestinians
Jordanian | Jordanians
Egyptian | Egyptians
Saudi | Saudis
Emirati | Emiratis
Qatari | Qataris
Yemeni | Yemenis
Afghan | Afghans
Pakistani | Pakistanis
Indian | Indians
Bangladeshi | Bangladeshis
Sri Lankan | Sri Lankans
Nepalese | Nepali
Chinese
Taiwanese
Japanese
Korean | Koreans
North Korean | North Koreans
South Korean | South Koreans
Vietnamese
Thai
Filipino | Filipinos
Indonesian | Indonesians
Malaysian | Malaysians
Singaporean | Singaporeans
Australian | Australians
New Zealander | New Zealanders
Canadian | Canadians
Mexican | Mexicans
Brazilian | Brazilians
Argentine | Argentinian | Argentinians
Colombian | Colombians
Venezuelan | Venezuelans
Chilean | Chileans
Peruvian | Peruvians
Cuban | Cubans
Nigerian | Nigerians
Kenyan | Kenyans
Ethiopian | Ethiopians
South African | South Africans
Somali | Somalis
Sudanese
Libyan | Libyans
Moroccan | Moroccans
Algerian | Algerians
Tunisian | Tunisians
European | Europeans
Asian | Asians
African | Africans
Western
Arab | Arabs | Arabic
Muslim | Muslims | Islamic
Christian | Christians
Catholic | Catholics
Protestant | Protestants
Evangelical | Evangelicals
Jewish | Jews
Hindu | Hindus
Buddhist | Buddhists
Sikh | Sikhs
Sunni | Sunnis
Shia | Shiite | Shiites
Republican | Republicans | GOP
Democrat | Democrats | Democratic
Conservative | Conservatives | Tory | Tories
Labour
Liberal Democrats | Lib Dems
Houthi | Houthis
Uyghur | Uyghurs | Uighur | Uighurs
Rohingya
Latino | Latinos | Hispanic | Hispanics
"""

# Organisations named without a telling suffix (ORG). Ambiguous common words are left out.
_ORGS = """
United Nations | UN | U.N.
European Union | EU | E.U.
NATO | Nato
World Health Organization | WHO
International Monetary Fund | IMF
World Bank
World Trade Organization | WTO
Organization of the Petroleum Exporting Countries | OPEC
Group of Seven | G7 | G-7
Group of 20 | G20 | G-20
African Union
Commonwealth of Independent States | CIS
Association of Southeast Asian Nations | ASEAN
International Criminal Court | ICC
International Atomic Energy Agency | IAEA
Red Cross
Amnesty International
Human Rights Watch
Greenpeace
Hamas
Taliban
Hezbollah
Islamic State | ISIS | ISIL
Al-Qaeda | al-Qaeda | Al Qaeda
Wagner Group | Wagner
Kremlin
White House
Pentagon
Congress
Senate
House of Representatives
Parliament
Downing Street
Supreme Court
Federal Reserve | Fed
European Central Bank | ECB
Bank of England
Bank of Japan
Securities and Exchange Commission | SEC
Federal Bureau of Investigation | FBI
Central Intelligence Agency | CIA
National Security Agency | NSA
Department of Justice | Justice Department | DOJ
Department of Defense | Defense Department
State Department
Department of Homeland Security | DHS
Food and Drug Administration | FDA
Centers for Disease Control and Prevention | CDC
Environmental Protection Agency | EPA
Federal Trade Commission | FTC
Federal Communications Commission | FCC
Internal Revenue Service | IRS
NASA
European Space Agency | ESA
SpaceX
Blue Origin
Boeing
Airbus
Lockheed Martin
Google | Alphabet
Apple
Microsoft
Amazon
Meta | Facebook
Instagram
WhatsApp
Twitter
TikTok | ByteDance
YouTube
Netflix
Disney
Tesla
Nvidia | NVIDIA
Intel
AMD
Samsung
Sony
Huawei
Alibaba
Tencent
Baidu
Toyota
Volkswagen | VW
General Motors | GM
Ford
Uber
Airbnb
OpenAI
IBM
Oracle
Walmart
Goldman Sachs
JPMorgan | JPMorgan Chase | JP Morgan
Morgan Stanley
BlackRock
Reuters
Associated Press | AP
Agence France-Presse | AFP
BBC
CNN
Fox News
NBC | NBC News
CBS | CBS News
ABC News
Bloomberg
The New York Times | New York Times | NYT
The Washington Post | Washington Post
The Wall Street Journal | Wall Street Journal | WSJ
The Guardian
Financial Times | FT
The Moscow Times
The Japan Times
Business Insider | Business Insider UK
Al Jazeera
NK News
Yonhap
Xinhua
TASS | Tass
Rodong Sinmun
KCNA
FSB
Ministry of Education
Ministry of Defence | Ministry of Defense | Defence Ministry | Defense Ministry
Workers' Party of Korea
Communist Party | Chinese Communist Party | CCP
Republican Party
Democratic Party
Labour Party
Conservative Party
FIFA
UEFA
NFL
NBA
MLB
NHL
IOC | International Olympic Committee
Premier League
Champions League
Real Madrid
Barcelona FC | FC Barcelona
Manchester United
Chelsea
Arsenal
Liverpool FC
Oxford University | University of Oxford
Harvard | Harvard University
MIT
Stanford | Stanford University
"""

_EVENTS = """
World War II | Second World War | WWII
World War I | First World War | WWI
Cold War
Olympics | Olympic Games
Paralympics
World Cup
Super Bowl
Black Friday
Cyber Monday
Brexit
Holocaust
Ramadan
Christmas
Easter
Thanksgiving
Hanukkah
Diwali
COVID-19 | Covid-19 | Covid | COVID
"""

# People news names by surname alone; only distinctive surnames are listed as aliases, so a
# lone "Putin" resolves even in an article that never spells out the full name.
_PEOPLE = """
Vladimir Putin | Putin | Vladimir Vladimirovich Putin
Volodymyr Zelensky | Zelensky | Zelenskyy | Volodymyr Zelenskyy | Zelenskiy
Sergei Shoigu | Shoigu | Sergei Kuzhugetovich Shoigu
Sergei Lavrov | Lavrov
Dmitry Medvedev | Medvedev
Alexei Navalny | Navalny
Yevgeny Prigozhin | Prigozhin
Kim Jong-un | Kim Jong Un
Xi Jinping | Xi
Li Qiang
Donald Trump | Trump | Donald J. Trump
Joe Biden | Biden | Joseph R. Biden
Barack Obama | Obama
Kamala Harris
Hillary Clinton
Bill Clinton
George W. Bush
Mike Pence | Pence
Nancy Pelosi | Pelosi
Mitch McConnell | McConnell
Antony Blinken | Blinken
Elon Musk | Musk
Mark Zuckerberg | Zuckerberg
Jeff Bezos | Bezos
Bill Gates
Tim Cook
Sundar Pichai | Pichai
Satya Nadella | Nadella
Sam Altman | Altman
Emmanuel Macron | Macron
Olaf Scholz | Scholz
Angela Merkel | Merkel
Rishi Sunak | Sunak
Keir Starmer | Starmer
Boris Johnson
Theresa May
Giorgia Meloni | Meloni
Pedro Sánchez
Recep Tayyip Erdogan | Erdogan | Erdoğan
Benjamin Netanyahu | Netanyahu
Mahmoud Abbas
Narendra Modi | Modi
Imran Khan
Fumio Kishida | Kishida
Shigeru Ishiba | Ishiba
Shinzo Abe
Yoon Suk Yeol | Yoon Suk-yeol
Moon Jae-in
Luiz Inácio Lula da Silva | Lula | Luiz Inacio Lula da Silva
Jair Bolsonaro | Bolsonaro
Javier Milei | Milei
Justin Trudeau | Trudeau
Ursula von der Leyen | von der Leyen
Antonio Guterres | Guterres | António Guterres
Jens Stoltenberg | Stoltenberg
Pope Francis
King Charles | King Charles III
Ali Khamenei | Khamenei
Bashar al-Assad | Assad
Nicolás Maduro | Maduro | Nicolas Maduro
Alexander Lukashenko | Lukashenko
Viktor Orbán | Orban | Orbán | Viktor Orban
Greta Thunberg
"""

PEOPLE = _alias_map(_PEOPLE)
COUNTRIES = _alias_map(_COUNTRIES)
SUBNATIONAL = _alias_map(_SUBNATIONAL)
CITIES = _alias_map(_CITIES)
LOCATIONS = _alias_map(_LOCATIONS)
NORP = _alias_map(_NORP)
ORGS = _alias_map(_ORGS)
EVENTS = _alias_map(_EVENTS)


def _gazetteer() -> dict[str, tuple[str, str]]:
    """{surface form: (canonical, label)}; later groups never override earlier ones."""
    out: dict[str, tuple[str, str]] = {}
    for table, label in (
        (PEOPLE, "PERSON"),
        (COUNTRIES, "GPE"),
        (SUBNATIONAL, "GPE"),
        (CITIES, "GPE"),
        (ORGS, "ORG"),
        (NORP, "NORP"),
        (LOCATIONS, "LOC"),
        (EVENTS, "EVENT"),
    ):
        for surface, canonical in table.items():
            out.setdefault(surface, (canonical, label))
            if surface.startswith("The "):
                out.setdefault(surface[4:], (canonical, label))
    return out


GAZETTEER: dict[str, tuple[str, str]] = _gazetteer()

# A nationality adjective that begins a longer name ("North Korean students") is NORP on its
# own; the country it derives from is how analysts look it up, so keep the link for aliases.
DEMONYM_COUNTRY: dict[str, str] = {
    "American": "United States",
    "British": "United Kingdom",
    "Russian": "Russia",
    "Ukrainian": "Ukraine",
    "Chinese": "China",
    "North Korean": "North Korea",
    "South Korean": "South Korea",
    "Japanese": "Japan",
    "Indian": "India",
    "Israeli": "Israel",
    "Palestinian": "Palestine",
    "Iranian": "Iran",
    "French": "France",
    "German": "Germany",
}

# Words before a name that make it a person ("President Putin", "Dr. Smith").
PERSON_TITLES = frozenset(
    _lines(
        """
Mr
Mr.
Mrs
Mrs.
Ms
Ms.
Miss
Dr
Dr.
Prof
Prof.
Professor
Sir
Dame
Lord
Lady
President
Vice President
Premier
Chancellor
Minister
Secretary
Senator
Sen.
Rep.
Representative
Congressman
Congresswoman
Gov.
Governor
Mayor
Judge
Justice
General
Gen.
Col.
Colonel
Lt.
Capt.
Captain
Sgt.
Admiral
Commander
King
Queen
Prince
Princess
Pope
Rabbi
Imam
Father
Sister
Bishop
Archbishop
Ambassador
Detective
Officer
Coach
Chairman
Chairwoman
CEO
Leader
Speaker
Attorney
Sheriff
Defender
Striker
Midfielder
Goalkeeper
Keeper
Winger
Forward
Skipper
Manager
Batsman
Bowler
Jockey
Rider
Referee
Veteran
Rookie
Major
Lieutenant
Sergeant
Corporal
Brigadier
Marshal
Engineer
Coroner
"""
    )
)

# First words that make a name a sports club ("FC Basel", "Dynamo Kiev", "Real Betis").
CLUB_PREFIXES = frozenset(
    words(
        "FC AFC CF SC AC AS SV VfB VfL TSV CD UD RC SS SK FK NK HNK GNK PSV KV KRC "
        "Dynamo Dinamo Sporting Atletico Atlético Athletic Olympique Racing Real Inter"
    )
)

# A team's role before its name at the start of a sentence ("Hosts Ajax beat ...").
TEAM_ROLE_WORDS = frozenset(
    words("Hosts Holders Champions Visitors Leaders Newcomers Rivals Favourites Underdogs")
)

# Verbs of a match result: a town right before or after one, in a sentence with a score
# ("Leicester beat Burnley 2-1"), is the club that plays there.
RESULT_VERBS = frozenset(
    words(
        "beat beats drew draw lost lose loses won win wins edged thrashed hammered routed "
        "defeated defeats trounced crushed stunned downed overcame outclassed held holds"
    )
)

# Lowercase role words that, right before a capitalised name, mark a person
# ("defence minister Sergei Shoigu", "spokesman John Kirby").
PERSON_ROLE_WORDS = frozenset(
    words(
        "president minister secretary spokesman spokeswoman spokesperson chief executive ceo "
        "founder director chairman chairwoman senator governor mayor ambassador leader coach "
        "manager author professor researcher analyst economist scientist actor actress singer "
        "rapper player striker midfielder defender goalkeeper quarterback pitcher star officer "
        "attorney lawyer judge prosecutor general commander envoy colonel lawmaker congressman "
        "congresswoman journalist reporter editor writer artist director producer head "
        "representative rep. sen. gov. dr. mr. mrs. ms. said says told wife husband son daughter "
        "mother father brother sister"
    )
)

# Verbs right after a name that make a person more likely than an organisation.
PERSON_VERBS = frozenset(words("said says told added explained wrote tweeted recalled noted"))

# Last words that make a name an organisation, a place or an event.
ORG_SUFFIXES = frozenset(
    _lines(
        """
Inc
Inc.
Corp
Corp.
Corporation
Co
Co.
Company
Companies
Ltd
Ltd.
LLC
PLC
plc
AG
SA
Group
Holdings
Partners
Capital
Bank
Fund
Foundation
Institute
Institution
University
College
School
Academy
Hospital
Clinic
Center
Centre
Council
Committee
Commission
Agency
Authority
Administration
Department
Ministry
Office
Bureau
Service
Services
Police
Army
Navy
Force
Forces
Guard
Party
Union
League
Association
Federation
Society
Organization
Organisation
Network
Times
News
Post
Journal
Herald
Tribune
Gazette
Magazine
Press
Media
Records
Studios
Pictures
Entertainment
Airlines
Airways
Telecom
Telecommunications
Pharma
Industries
Solutions
Logistics
Insurance
Mining
Steel
Electric
Software
Foods
Brewery
Shipping
Railways
Broadcasting
Motors
Technologies
Systems
Labs
Laboratories
Pharmaceuticals
Energy
Club
FC
United
Court
Tribunal
Parliament
Assembly
Senate
Congress
Cabinet
Board
Exchange
Reserve
Church
Mission
Alliance
Coalition
Movement
Brigade
Battalion
Regiment
Museum
Library
Theatre
Theater
Orchestra
Band
Front
Trust
Athletic
Rovers
Wanderers
Robotics
Confederation
Consortium
Collective
Guild
"""
    )
)
# "University of Oxford", "Ministry of Defence": an org word first, then "of".
ORG_HEADS = frozenset(
    words(
        "University College Institute Ministry Department Bank Board Council Commission Committee "
        "Federation Association Society Organization Organisation Office Bureau Agency Church "
        "Museum School Academy Court House Party League Union Guild Friends Abbey Sporting"
    )
)
LOC_SUFFIXES = frozenset(
    _lines(
        """
Oblast
Province
Region
County
District
Prefecture
Territory
Island
Islands
Peninsula
River
Lake
Sea
Ocean
Bay
Gulf
Strait
Mountain
Mountains
Valley
Desert
Coast
Park
Street
Avenue
Road
Square
Bridge
Airport
Station
Stadium
Arena
Beach
Forest
Canyon
Basin
Crater
Galaxy
Highlands
Delta
Estuary
Plateau
Peak
Glacier
"""
    )
)
# Administrative units that are governments: "Kursk Oblast" is a GPE, "Nile River" a LOC.
GPE_SUFFIXES = frozenset(words("Oblast Province Region County District Prefecture Territory"))
EVENT_SUFFIXES = frozenset(
    _lines(
        """
War
Olympics
Games
Cup
Championship
Championships
Open
Summit
Conference
Festival
Election
Elections
Revolution
Crisis
Awards
Award
Prize
Tournament
Series
Marathon
Grand Prix
Week
Expo
Forum
Massacre
Attack
Attacks
Hurricane
Storm
Pandemic
Fair
Show
Talks
Pact
"""
    )
)
# Words that begin a place name ("Port Halden", "San Ludo", "Upper Ashby", "Lake Vessa").
PLACE_HEADS = frozenset(
    words("Port San Santa Santo Saint St. Sao São Upper Lower New Fort Los Las El Le La Mount Mt.")
)
LOC_HEADS = frozenset(words("Lake Mount Mt. Cape Gulf Bay Isle Mountains"))

# Words that begin an event name ("Hurricane Katrina", "Operation Desert Storm").
EVENT_HEADS = frozenset(words("Hurricane Typhoon Cyclone Storm Operation Battle Siege"))

# Common first names across the regions news covers; a capitalised pair starting with one
# of these is a person. Lists are short on purpose: the surname back-reference rule in
# `tasks.enrich.nlp` finds most other people.
FIRST_NAMES = frozenset(
    words("""
Aaron Adam Adrian Ahmed Aisha Alan Albert Alex Alexander Alexandra Alexei Alexey Ali Alice
Alicia Allison Amanda Amber Amy Ana Andre Andrea Andrew Andrei Andrey Andy Angela Angelina
Anita Ann Anna Anne Anthony Antonio Arthur Ashley Barack Barbara Ben Benjamin Bernie Beth
Betty Bill Billy Bob Bobby Boris Brad Brandon Brenda Brett Brian Bruce Bryan Carl Carlos
Carol Caroline Catherine Charles Charlie Charlotte Chen Cheryl Chris Christian Christina
Christine Christopher Chuck Claire Claudia Colin Connor Craig Cynthia Dan Daniel Danielle
Darren Dave David Dean Deborah Debra Dennis Derek Diana Diane Dmitry Dmitri Dominic Don
Donald Donna Doug Douglas Dylan Ed Eddie Edward Elena Elizabeth Ellen Emily Emma Emmanuel
Eric Erik Erin Evan Fatima Felix Fernando Frank Fred Gabriel Gary Gavin George Gerald
Gina Glenn Gordon Grace Greg Gregory Hannah Harold Harry Heather Helen Henry Hillary Howard
Hugh Hunter Ian Igor Ilhan Irina Isaac Ivan Jack Jacob Jake James Jamie Jan Jane Janet
Jason Javier Jean Jeff Jeffrey Jennifer Jeremy Jerome Jerry Jessica Jill Jim Jimmy Joan Joe
Joel John Johnny Jon Jonathan Jordan Jorge Jose José Joseph Josh Joshua Joyce Juan Judith
Julia Julian Julie Justin Karen Kate Katherine Kathleen Kathryn Katie Keith Kelly Ken
Kenneth Kevin Kim Kimberly Kurt Kyle Larry Laura Lauren Lawrence Lee Leonardo Linda Lisa
Liz Louis Louise Lucas Luis Luke Lynn Marco Margaret Maria Marie Marina Mario Mark Martha
Martin Mary Matt Matthew Max Maxim Megan Melissa Michael Michel Michelle Miguel Mike
Mikhail Mitch Mohamed Mohammad Mohammed Muhammad Nancy Natalia Natalie Nathan Nicholas
Nick Nicola Nicolas Nikolai Nina Noah Olga Oliver Olivia Pamela Patricia Patrick Paul
Paula Pedro Peter Philip Phillip Pierre Rachel Rafael Ralph Randy Raymond Rebecca Richard
Rick Rishi Rob Robert Robin Roger Ron Ronald Rose Ross Roy Russell Ruth Ryan Sally Sam
Samantha Samuel Sandra Sara Sarah Scott Sean Sebastian Serge Sergei Sergey Shawn Sharon
Sofia Sophie Stephanie Stephen Steve Steven Susan Tamara Ted Teresa Terry Thomas Tim Timothy
Tina Todd Tom Tony Tracy Travis Tyler Valerie Vanessa Victor Victoria Vikram Vincent
Viktor Vladimir Volodymyr Walter Wang Wayne Wei William Willie Xi Yuri Yusuf Zach Zhang
Narendra Rahul Sanjay Amit Priya Raj Ravi Hassan Hussein Omar Khalid Abdullah Mahmoud
Recep Emmanuel Olaf Angela Giorgia Pedro Justin Jacinda Shinzo Fumio Yoon Moon Lula Javier
Benjamin Yair Naftali Kamala Nancy Chuck Mitch Elon Jeff Mark Sundar Satya Tim Jensen
Ilhan Alexandria Pete Marie Kurt Deval Gordon Adam Devin Jim
""")
)

# Capitalised words that are not names even mid-sentence (days, months, pronoun-like words).
NOT_NAMES = frozenset(
    words("""
I I'm I've I'd I'll Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
February March April May June July August September October November December Mon Tue Wed
Thu Fri Sat Sun Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec AM PM A.M. P.M. OK TV
CEO CFO COO CTO GDP AI PhD MP MPs EV EVs DIY FAQ PDF URL USB LED GPS CCTV PS Q1 Q2 Q3 Q4
Mr Mrs Ms Dr St Jr Sr No Yes Oh Per Via Vs
""")
)
