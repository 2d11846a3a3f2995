"""Cue words of the subject categories in German, French, Spanish, Italian, Portuguese and
Dutch (our own lists; English is in `tasks.enrich.taxonomy`).

Same notation as the English lexicon: `term*` matches words starting with `term`, `term^`
counts double, a two-word `a_b` term matches the pair, and `~term` matches words ending
with `term`, for the compounds German and Dutch write as one word ("Außenpolitik",
"voetbalclub"). The lists are shorter than the English one: they cover what the news of
each category is mostly about, not every word of it.
"""

from __future__ import annotations

LEXICONS: dict[str, dict[str, str]] = {
    "de": {
        "arts": """
            kunst* künstler* museum* museen galerie* ausstellung* film^ filme ~film kino*
            schauspieler* regisseur* musik^ ~musik musiker* album alben song* sänger* band konzert*
            theater* oper opern roman romane romanen buch bücher autor autoren autorin* literatur*
            dichter* festival* fernseh* tv serie serien ~serie rundfunk* zeitung* journalis*
            ~medien medien^ verlag* orf ard zdf streaming netflix star stars preisträger oscar*
            """,
        "crime": """
            polizei^ ~polizei polizist* festgenommen festnahme* verhaft* gericht^ ~gericht richter*
            prozess* anklage* angeklagt* staatsanwalt* urteil* verurteil* haft gefängnis* mord*
            ~mord tötung* getötet erschossen raub raubüberf* diebstahl* gestohlen betrug* ~betrug
            korruption* bestechung* ermittl* verdächtig* opfer täter* kriminal* verbrechen* drogen*
            schmuggel* terror* anwalt* anwält* klage
            """,
        "disaster": """
            katastrophe* ~katastrophe unglück* unfall* ~unfall erdbeben* überschwemmung*
            hochwasser* brand^ ~brand feuer* explosion* absturz* abgestürzt lawine* rettung*
            ~rettung evakuier* verletzte todesopfer vulkan* wirbelsturm*
            """,
        "economy": """
            wirtschaft^ ~wirtschaft wirtschaftlich* unternehmen^ firma firmen konzern* ~konzern
            markt märkte ~markt börse* aktie* ~aktie aktionär* anleger* bank^ banken finanz*
            ~finanz handel^ ~handel export* import* inflation* zins* rezession* konjunktur*
            wachstum umsatz* gewinn* ~gewinn verlust* bilanz* preis preise ~preise kosten investor*
            investition* milliarden millionen euro dollar steuer* ~steuer budget* haushalt*
            schulden* kredit* insolven* pleite übernahme* fusion* industrie* ~industrie hersteller*
            verkauf* kunden* ceo vorstand* manager* ökonom* einzelhandel* immobilien* energie* öl
            ölpreis*
            """,
        "education": """
            schule* ~schule schüler* lehrer* ~lehrer universität* ~universität hochschul* studenten
            studierende* studium bildung* ~bildung unterricht* matura abitur kindergarten*
            lehrling* lehre ausbildung* professor*
            """,
        "environment": """
            umwelt* ~umwelt klima* ~klima klimawandel* erderwärmung emission* co2 kohlendioxid
            treibhaus* artensterben naturschutz* tierschutz* wald wälder nachhaltig* erneuerbar*
            solar* windkraft* recycling plastik* müll ~müll verschmutz*
            """,
        "health": """
            gesundheit* ~gesundheit krankenhaus* ~krankenhaus spital* spitäler klinik* patient*
            arzt ärzte ärztin* ~arzt medizin* ~medizin krankheit* ~krankheit virus viren impf*
            ~impfung covid* corona* pandemie* epidemie* infektion* infiziert* krebs* therapie*
            behandlung* pflege* ~pflege medikament* psychisch* diabetes
            """,
        "labour": """
            arbeit arbeitsmarkt* arbeitslos* ~arbeitslosigkeit arbeitnehmer* arbeitgeber*
            beschäftigt* job jobs stellen gewerkschaft* ~gewerkschaft streik* ~streik lohn löhne
            ~lohn gehalt* gehälter pension* rente* kollektivvertrag* tarif* kündigung* ams
            """,
        "lifestyle": """
            reise* urlaub* ~urlaub tourismus* tourist* hotel* restaurant* essen rezept* kochen
            küche* mode schönheit freizeit* hobby wein weine bier* kaffee auto autos ~auto shopping
            garten* wohnen
            """,
        "politics": """
            politik^ ~politik politisch* politiker* ~politiker regierung^ ~regierung minister*
            ~minister ministerium* ~ministerium kanzler* ~kanzler bundeskanzler* präsident*
            ~präsident parlament* ~parlament nationalrat* bundesrat* bundestag* landtag*
            abgeordnete* partei^ parteien ~partei koalition* opposition* wahl^ wahlen ~wahlen
            ~wahlkampf wähler* abstimmung* volksabstimmung* referendum kandidat* wahlkampf* gesetz*
            ~gesetz diplomat* botschaft* außenminister* gipfel* ~gipfel sanktion* eu brüssel nato
            spö övp fpö grüne neos cdu csu spd afd fdp bürgermeister* landeshauptmann* demokratie*
            verfassung* asylpolitik
            """,
        "religion": """
            religion* religiös* kirche* ~kirche papst* vatikan* bischof* priester* pfarrer* glaube*
            gläubig* islam* muslim* moschee* christ* christlich* katholisch* jüdisch* juden
            synagoge* gott gebet gebete evangelisch*
            """,
        "science": """
            wissenschaft^ ~wissenschaft wissenschaftler* forschung^ ~forschung forscher* studie*
            ~studie technologie^ ~technologie technik* ~technik raumfahrt* nasa esa weltraum*
            raumsonde* astronaut* rakete* mond planet* teleskop* astronom* physik* chemie* biolog*
            genetisch* gen gene dna labor experiment* software^ hardware computer* internet^
            ~internet online^ digital* daten künstliche_intelligenz ki roboter* chip* ~chip app
            apps smartphone* handy* ~handy iphone* android google^ apple^ microsoft^ facebook^
            amazon twitter samsung web^ ~web website* nutzer* user hacker* cyber* videospiel*
            computerspiel* onlinespiel* konsole* playstation xbox nintendo ~netz datenschutz*
            breitband* telekom* ~software server* browser* download* streamingdienst* elektroauto*
            """,
        "society": """
            gesellschaft sozial* migration* migrant* flüchtling* ~flüchtlinge asyl* ~asyl
            integration* armut* obdachlos* diskriminier* rassismus* gleichstellung frauen kinder
            familie* ~familie demonstration* protest* ~protest menschenrechte* bevölkerung* spende*
            hilfsorganisation* caritas
            """,
        "sport": """
            sport^ ~sport fußball^ ~fußball tennis^ golf^ ski skirennen* skifahr* eishockey*
            handball* basketball* volleyball* formel_1 formel-1 radsport* leichtathletik* olympia*
            olympisch* athlet* mannschaft* ~mannschaft team teams spiel spiele spieler* ~spieler
            trainer* ~trainer liga* ~liga bundesliga* meisterschaft* ~meisterschaft turnier*
            ~turnier weltmeister* ~weltmeister europameister* wm em pokal* ~pokal finale*
            halbfinale* viertelfinale* tor tore torschütze* sieg siege siegte sieger* ~sieg
            niederlage* gewann gewinnt verein* ~verein klub* ~klub saison* stadion* fans medaille*
            ~medaille weltcup* rennen* ~rennen champions_league europa_league
            """,
        "conflict": """
            krieg^ ~krieg kriege militär* ~militär armee* soldat* ~soldaten truppe* ~truppen
            invasion* angriff* ~angriff luftangriff* rakete* ~raketen drohne* bombe* ~bomben waffe*
            ~waffen kämpfe* ~kämpfe kampf gefecht* front waffenstillstand* frieden* ~frieden
            konflikt* ~konflikt rebell* aufständisch* milizen miliz* terrormiliz* dschihad* taliban
            hamas hisbollah is anschlag* ~anschlag selbstmordattentat* getötet* verwundet* nuklear*
            atom* ~atom
            """,
        "weather": """
            wetter^ ~wetter prognose* regen regenfälle schnee* ~schnee sturm stürme ~sturm
            temperatur* hitze* ~hitze hitzewelle* kälte* gewitter* unwetter* wolke* meteorolog*
            frost
            """,
    },
    "fr": {
        "arts": """
            art artiste* musée* galerie* exposition* peinture* sculpt* film^ films cinéma* acteur*
            actrice* réalisat* musique^ musicien* album* chanson* chanteu* concert* théâtre* opéra*
            roman* livre* auteur* littérature* poète* poésie festival* télévision* télé série
            séries émission* journalis* médias^ presse journal spectacle* célébrit* star stars
            """,
        "crime": """
            police^ policier* gendarme* arrêté* interpell* tribunal^ tribunaux juge* procès
            procureur* parquet avocat* condamn* prison* détenu* meurtre* assassin* homicide* tué
            vol vols volé* fraude* escroquer* corruption* enquête* enquêteu* suspect* victime*
            agression* crime* criminel* drogue* trafic* terroris* plainte* justice^ judiciaire*
            garde_à_vue
            """,
        "disaster": """
            catastrophe* accident* séisme* tremblement* inondation* incendie* feu explosion* crash
            effondr* secours sauveteu* évacu* blessés bilan ouragan* cyclone* tempête éruption*
            volcan* glissement*
            """,
        "economy": """
            économie^ économique* entreprise^ entreprises société* marché^ marchés bourse* action
            actions actionnaire* investisseu* investiss* banque^ banques bancaire* financ*
            commerce* commercial* export* import* inflation* taux récession* croissance
            chiffre_d'affaires bénéfice* profit* perte* ventes prix coût* milliard* million* euros
            dollars impôt* fiscal* budget* dette* crédit* faillite* rachat* fusion* industri*
            usine* fabricant* consommat* pétrole patron* pdg économiste* emprunt*
            """,
        "education": """
            école* écolier* élève* enseignant* professeur* université* universitaire* étudiant*
            éducation* scolaire* lycée* collège* baccalauréat diplôme* examen* enseignement*
            """,
        "environment": """
            environnement* climat* climatique* réchauffement émission* carbone co2 pollution*
            pollu* biodiversité espèce* forêt* déforestation renouvelable* solaire éolien*
            recyclage plastique* déchets écolog*
            """,
        "health": """
            santé^ hôpital* hôpitaux hospitali* patient* médecin* infirmi* médical* médicament*
            maladie* virus vaccin* covid* pandémie* épidémie* infection* cancer* traitement*
            thérapie* soins chirurg* clinique* symptôme*
            """,
        "labour": """
            travail travailleu* emploi* chômage^ chômeu* salarié* employé* employeu* syndicat*
            syndical* grève* salaire* retraite* licenci* embauche*
            """,
        "lifestyle": """
            voyage* tourisme* touriste* vacances hôtel* restaurant* cuisine* recette* gastronom*
            mode beauté loisir* vin* bière* café voiture* shopping jardin*
            """,
        "politics": """
            politique^ politiques politicien* gouvernement^ gouvernemental* ministre^ ministres
            ministère* président^ présidentiel* parlement* parlementaire* député* sénat* sénateu*
            assemblée élection^ élections électoral* électeu* vote* voter scrutin* campagne*
            candidat* parti^ partis coalition* opposition* diplomat* ambassad* sommet* sanction*
            traité* premier_ministre élysée matignon maire* loi lois réforme* démocratie*
            constitution* référendum* ue bruxelles otan
            """,
        "religion": """
            religion* religieu* église* pape* vatican* évêque* prêtre* foi islam* musulman*
            mosquée* chrétien* catholique* juif* juive* synagogue* dieu prière*
            """,
        "science": """
            science^ sciences scientifique* chercheu* recherche^ étude* technologie^ technologique*
            tech numérique* spatial* espace nasa fusée* astronaute* lune planète* télescope*
            astronom* physique* chimie* biolog* génétique* adn laboratoire* logiciel* ordinateur*
            informatique* internet^ en_ligne web site sites données intelligence_artificielle ia
            robot* puce* smartphone* téléphone* mobile* application* appli* google apple microsoft
            facebook amazon internaute* utilisateu* piratage pirate* cyber* jeu_vidéo jeux_vidéo
            console* réseau* télécom* opérateu*
            """,
        "society": """
            société sociale* social* immigr* migrant* réfugié* asile pauvreté sans-abri
            discrimination* racisme* égalité femmes droits manifest* protestation* familles enfants
            population* association* solidarité
            """,
        "sport": """
            sport^ sports sportif* football^ foot tennis^ golf^ rugby^ basket* cyclisme* handball
            olympique* athlète* équipe^ équipes match^ matchs joueu* entraîneu* championnat*
            tournoi* coupe finale demi-finale* quarts_de but buts victoire* défaite* club^ clubs
            saison* stade* ligue^ médaille* champion* sélectionneu* attaquant* gardien*
            tour_de_france
            """,
        "conflict": """
            guerre^ guerres militaire* armée* soldat* troupe* invasion* attaque* frappe* missile*
            drone* bombard* bombe* arme armes combat* bataille* front cessez-le-feu paix^ conflit*
            rebelle* insurg* milice* djihad* terroriste* otage* défense nucléaire* taliban hamas
            hezbollah
            """,
        "weather": """
            météo^ prévision* pluie* neige* orage* tempête* température* canicule* chaleur froid
            vent* nuage* gel
            """,
    },
    "es": {
        "arts": """
            arte artista* museo* galería* exposición* pintura* escultura* película^ películas cine^
            actor* actriz* director* música^ músico* álbum* canción* cantante* concierto* teatro*
            ópera* novela* libro* autor* literatura* poeta* poesía festival* televisión* tele serie
            series periodis* medios^ prensa espectáculo* famoso* estrella*
            """,
        "crime": """
            policía^ policial* agente* detenido* detención* arrest* tribunal^ juez* jueza juicio*
            fiscal* fiscalía abogado* conden* prisión* cárcel* preso* asesinato* asesin* homicidio*
            muerto robo* robad* fraude* estafa* corrupción* soborno* investigación* sospechoso*
            víctima* agresión* crimen* criminal* delito* droga* narcotráfico* narco* tráfico*
            terroris* denuncia* justicia^ judicial*
            """,
        "disaster": """
            catástrofe* desastre* accidente* terremoto* sismo* inundación* incendio* fuego
            explosión* choque* derrumbe* rescate* evacua* heridos huracán* ciclón* tormenta*
            erupción* volcán* deslizamiento*
            """,
        "economy": """
            economía^ económic* empresa^ empresas compañía* negocio* mercado^ mercados bolsa*
            acción acciones accionista* inversor* inversión* banco^ bancos bancari* financ*
            comercio* comercial* export* import* inflación* tasa* recesión* crecimiento ventas
            precio* costo* coste* millones mil_millones euros dólares impuesto* presupuesto* deuda*
            crédito* quiebra* fusión* industri* fábrica* fabricante* consum* petróleo economista*
            pib
            """,
        "education": """
            escuela* colegio* alumno* estudiante* profesor* maestro* universidad* universitari*
            educación* educativ* enseñanza* examen* exámenes
            """,
        "environment": """
            medio_ambiente ambiental* clima* climático* calentamiento emisión* emisiones carbono
            co2 contaminación* biodiversidad especie* bosque* deforestación renovable* solar eólic*
            reciclaje plástico* residuos ecológic*
            """,
        "health": """
            salud^ hospital* sanitari* paciente* médico* enfermer* medicamento* enfermedad* virus
            vacuna* covid* pandemia* epidemia* infección* cáncer* tratamiento* terapia* cirugía*
            clínica* síntoma*
            """,
        "labour": """
            trabajo trabajador* empleo* desempleo^ paro salario* sindicato* sindical* huelga*
            pensión* pensiones despido* contratación* laboral*
            """,
        "lifestyle": """
            viaje* turismo* turista* vacaciones hotel* restaurante* cocina* receta* gastronom* moda
            belleza ocio vino* cerveza* café coche* auto automóvil* jardín*
            """,
        "politics": """
            política^ político* gobierno^ gubernamental* ministro^ ministra* ministerio*
            presidente^ presidenta presidencial* parlamento* parlamentari* diputado* senado*
            senador* congreso* elección^ elecciones electoral* elector* votante* voto* votación*
            campaña* candidato* partido partidos coalición* oposición* diplomátic* embajad* cumbre*
            sanción* sanciones tratado* alcalde* ley leyes reforma* democracia* constitución*
            referéndum* ue bruselas otan
            """,
        "religion": """
            religión* religios* iglesia* papa vaticano* obispo* sacerdote* fe islam* musulmán*
            musulmana* mezquita* cristian* católic* judío* judía* sinagoga* dios oración*
            """,
        "science": """
            ciencia^ ciencias científic* investigador* investigación estudio* tecnología^
            tecnológic* digital* espacial* espacio nasa cohete* astronauta* luna planeta*
            telescopio* astronom* física químic* biolog* genétic* adn laboratorio* software^
            ordenador* computadora* informátic* internet^ en_línea web sitio datos
            inteligencia_artificial ia robot* chip* smartphone* teléfono* móvil* celular*
            aplicación* app google apple microsoft facebook amazon usuario* hacker* ciber*
            videojuego* consola* red redes telecomunicacion* operador*
            """,
        "society": """
            sociedad social* inmigra* migrante* refugiado* asilo pobreza discriminación* racismo*
            igualdad mujeres derechos manifesta* protesta* familia* niños población* ong
            solidaridad
            """,
        "sport": """
            deporte^ deportes deportiv* fútbol^ futbol^ tenis^ golf^ rugby baloncesto* ciclismo*
            balonmano olímpic* atleta* equipo^ equipos partido partidos jugador* entrenador*
            campeonato* torneo* copa final semifinal* gol^ goles victoria* derrota* club^ clubes
            temporada* estadio* liga^ medalla* campeón* delantero* portero* selección afición
            aficionados
            """,
        "conflict": """
            guerra^ guerras militar* ejército* soldado* tropa* invasión* ataque* bombardeo* misil*
            dron* drones bomba* arma armas combate* batalla* frente alto_el_fuego paz^ conflicto*
            rebelde* insurgente* milicia* yihad* terrorista* rehén* defensa nuclear* talibanes
            hamás hezbolá
            """,
        "weather": """
            tiempo_meteorológico meteorolog* pronóstico* lluvia* nieve* tormenta* temperatura*
            calor frío viento* nube* helada*
            """,
    },
    "it": {
        "arts": """
            arte artist* museo* musei galleria* pittur* scultur* film^ cinema^ attore attori
            attric* regist* musica^ musicist* album canzon* cantant* concert* teatr* romanz* libro
            libri autore* letteratura poet* poesia festival* televisione* tv serie giornalis*
            media^ stampa spettacol* star
            """,
        "crime": """
            polizia^ poliziott* carabinier* arrestat* arresto* fermat* tribunale^ giudic* processo*
            procura* procurator* pm avvocat* condann* carcere* detenut* omicidio* uccis* assassin*
            furto* rapina* rubat* frode* truffa* corruzione* tangent* indagin* inchiesta* indagat*
            sospett* vittim* aggression* reato* reati crimin* droga* spaccio* mafia* camorra*
            ndrangheta terroris* denunci* giustizia^
            """,
        "disaster": """
            catastrofe* disastro* incidente* terremoto* sisma* alluvion* inondazion* incendio*
            incendi fuoco esplosion* crollo* soccors* evacua* feriti uragano* ciclone* tempesta*
            eruzion* vulcan* frana*
            """,
        "economy": """
            economia^ economic* azienda^ aziende impresa* imprese società mercato^ mercati borsa*
            azion* azionist* investitor* investiment* banca^ banche bancari* finanz* commercio*
            commercial* export* import* inflazione* tassi tasso recessione* crescita pil fatturato*
            utile* utili profitt* perdit* vendit* prezz* cost* miliard* milion* euro dollari tasse
            imposte fiscal* bilancio* debito* credito* fallimento* fusione* industri* fabbrica*
            produttor* consum* petrolio economist* spread
            """,
        "education": """
            scuola* scolastic* alunn* student* insegnant* docent* professor* universit* istruzione*
            educazione* esame* esami maturità
            """,
        "environment": """
            ambiente ambiental* clima* climatic* riscaldamento_globale emission* carbonio co2
            inquinament* biodiversità specie foresta* deforestazione rinnovabil* solare eolic*
            riciclo plastica* rifiuti ecologic*
            """,
        "health": """
            salute^ sanità sanitari* ospedal* pazient* medic* infermier* farmac* malattia* malattie
            virus vaccin* covid* pandemia* epidemia* infezion* cancro tumor* terapia* cura cure
            chirurg* clinica* sintom*
            """,
        "labour": """
            lavoro^ lavorator* occupazione* disoccupazione^ dipendent* salari* stipendi* sindacat*
            sciopero* scioperi pension* licenziament* assunzion*
            """,
        "lifestyle": """
            viaggi* turismo* turist* vacanz* hotel albergo* ristorant* cucina* ricett* gastronom*
            moda bellezza tempo_libero vino* birra* caffè auto automobil* giardin*
            """,
        "politics": """
            politica^ politic* governo^ governativ* ministro^ ministri ministero* president*
            parlamento* parlamentar* deputat* senato* senator* camera elezion* elettoral* elettor*
            voto^ voti votazion* campagna* candidat* partito^ partiti coalizion* maggioranza
            opposizion* diplomati* ambasciat* vertice* sanzion* trattato* premier sindaco* legge
            leggi riforma* democrazia* costituzion* referendum ue bruxelles nato
            """,
        "religion": """
            religion* religios* chiesa* papa vaticano* vescov* sacerdot* prete fede islam*
            musulman* moschea* cristian* cattolic* ebrei ebreo* ebraic* sinagoga* dio preghiera*
            """,
        "science": """
            scienza^ scienze scientific* ricercator* ricerca^ studio* tecnologia^ tecnologic*
            digital* spazial* spazio nasa razzo* astronaut* luna pianet* telescopi* astronom*
            fisica chimica biolog* genetic* dna laboratori* software^ computer* informatic*
            internet^ online web sito siti dati intelligenza_artificiale ia robot* chip smartphone*
            telefon* cellular* applicazion* app google apple microsoft facebook amazon utent*
            hacker* cyber* videogioc* console rete reti telecomunicazion* operator*
            """,
        "society": """
            società_civile social* immigra* migrant* rifugiat* asilo povertà discriminazion*
            razzismo* parità donne diritti manifesta* protest* famigli* bambini popolazione*
            volontar* solidarietà
            """,
        "sport": """
            sport^ sportiv* calcio^ tennis^ golf^ rugby basket* pallacanestro ciclismo* pallavolo
            olimpic* atlet* squadra^ squadre partita^ partite giocator* allenator* campionato*
            torneo* coppa finale semifinal* gol^ vittoria* sconfitt* club stagione* stadio* serie_a
            champions medaglia* campione* attaccant* portier* mondiali tifosi
            """,
        "conflict": """
            guerra^ guerre militar* esercito* soldat* truppe invasione* attacco* attacchi
            bombardament* missil* drone droni bomba* bombe arma armi combattiment* battaglia*
            fronte cessate_il_fuoco pace^ conflitto* ribell* insorti milizi* jihad* terrorist*
            ostaggi* difesa nucleare* talebani hamas hezbollah
            """,
        "weather": """
            meteo^ previsioni pioggia* neve* temporal* tempesta* temperatur* caldo freddo vento*
            nuvol* gelo maltempo
            """,
    },
    "pt": {
        "arts": """
            arte artista* museu* galeria* exposição* pintura* escultura* filme^ filmes cinema^ ator
            atores atriz* diretor* música^ músico* álbum* canção* canções cantor* concerto* show*
            teatro* ópera* romance* livro* autor* literatura* poeta* poesia festival* televisão* tv
            novela* série séries jornalis* mídia* media imprensa espetáculo* famoso* estrela*
            """,
        "crime": """
            polícia^ policial* policiais detido* preso* prisão* tribunal^ juiz* julgamento*
            promotor* procurador* ministério_público advogado* condena* cadeia* assassinato*
            assassin* homicídio* morto roubo* roubad* furto* fraude* golpe* corrupção* propina*
            investigação* suspeito* vítima* agressão* crime* criminos* droga* tráfico* traficante*
            terroris* denúncia* justiça^ judicial*
            """,
        "disaster": """
            catástrofe* desastre* acidente* terremoto* sismo* inundação* enchente* incêndio* fogo
            explosão* desabamento* resgate* evacua* feridos furacão* ciclone* tempestade* erupção*
            vulcão* deslizamento*
            """,
        "economy": """
            economia^ econômic* económic* empresa^ empresas companhia* negócio* mercado^ mercados
            bolsa* ação ações acionista* investidor* investimento* banco^ bancos bancári* financ*
            comércio* comercial* export* import* inflação* juros recessão* crescimento pib vendas
            preço* custo* milhões bilhões mil_milhões euros reais dólares imposto* fiscal*
            orçamento* dívida* crédito* falência* fusão* indústria* industrial* fábrica*
            fabricante* consum* petróleo economista*
            """,
        "education": """
            escola* aluno* estudante* professor* universidade* universitári* educação* ensino*
            exame* vestibular* enem
            """,
        "environment": """
            meio_ambiente ambiental* clima* climátic* aquecimento emissão* emissões carbono co2
            poluição* biodiversidade espécie* floresta* desmatamento* renovável* renováveis solar
            eólic* reciclagem plástico* lixo resíduos ecológic*
            """,
        "health": """
            saúde^ hospital* hospitais sanitári* paciente* médico* enfermeir* medicamento* doença*
            vírus vacina* covid* pandemia* epidemia* infecção* câncer* cancro tratamento* terapia*
            cirurgia* clínica* sintoma* sus
            """,
        "labour": """
            trabalho trabalhador* emprego* desemprego^ salário* sindicato* sindical* greve*
            aposentadoria* pensão* pensões demissão* demissões contratação* trabalhista*
            """,
        "lifestyle": """
            viagem* viagens turismo* turista* férias hotel* restaurante* cozinha* receita*
            gastronom* moda beleza lazer vinho* cerveja* café carro* automóve* jardim*
            """,
        "politics": """
            política^ político* governo^ governament* ministro^ ministra* ministério* presidente^
            presidenta presidencial* parlamento* parlamentar* deputado* senado* senador* congresso*
            eleição^ eleições eleitora* eleitor* voto* votação* campanha* candidato* partido^
            partidos coalizão* coligação* oposição* diplomátic* embaixad* cúpula* cimeira* sanção*
            sanções tratado* prefeito* autarca* lei leis reforma* democracia* constituição*
            referendo* ue bruxelas otan nato planalto
            """,
        "religion": """
            religião* religios* igreja* papa vaticano* bispo* padre* sacerdote* fé islã* islão*
            muçulman* mesquita* cristã* cristão* católic* judeu* judia* sinagoga* deus oração*
            """,
        "science": """
            ciência^ ciências científic* pesquisador* pesquisa^ investigador* estudo* tecnologia^
            tecnológic* digital* espacial* espaço nasa foguete* astronauta* lua planeta*
            telescópio* astronom* física química* biolog* genétic* dna laboratório* software^
            computador* informátic* internet^ online web site sites dados inteligência_artificial
            ia robô* chip* smartphone* celular* telemóve* telefone* aplicativo* app google apple
            microsoft facebook amazon usuário* utilizador* hacker* ciber* videogame* videojogo*
            console* rede redes telecomunicaç* operadora*
            """,
        "society": """
            sociedade social* imigra* migrante* refugiado* asilo pobreza discriminação* racismo*
            igualdade mulheres direitos manifesta* protesto* família* crianças população* ong
            solidariedade
            """,
        "sport": """
            esporte^ esportes desporto^ desportiv* esportiv* futebol^ tênis^ ténis golfe basquete*
            ciclismo* vôlei voleibol olímpic* atleta* equipe^ equipa^ time^ times jogo^ jogos
            jogador* treinador* campeonato* torneio* taça copa final semifinal* gol^ golo* gols
            golos vitória* derrota* clube^ clubes temporada* estádio* liga^ medalha* campeão*
            atacante* goleiro* guarda-redes seleção torcida* torcedor* adeptos brasileirão
            """,
        "conflict": """
            guerra^ guerras militar* militares exército* soldado* tropa* invasão* ataque*
            bombardeio* bombardeamento* míssil* mísseis drone* bomba* arma armas combate* batalha*
            frente cessar-fogo paz^ conflito* rebelde* insurgente* milícia* jihad* terrorista*
            refém* reféns defesa nuclear* talibã* hamas hezbollah
            """,
        "weather": """
            meteorolog* previsão chuva* neve* tempestade* temperatura* calor frio vento* nuvem*
            nuvens geada* clima_tempo
            """,
    },
    "nl": {
        "arts": """
            kunst* ~kunst kunstenaar* museum* musea galerie* tentoonstelling* schilderij* film^
            films ~film bioscoop* acteur* actrice* regisseur* muziek^ ~muziek muzikant* album*
            nummer* zanger* zangeres* band concert* ~concert theater* opera* roman* boek boeken
            ~boek schrijver* auteur* literatuur* dichter* festival* ~festival televisie* tv serie
            series journalist* media^ omroep* krant* ster sterren
            """,
        "crime": """
            politie^ ~politie agent* agenten aangehouden arrestat* gearresteerd rechter* rechtbank*
            ~rechtbank rechtszaak* proces* officier_van_justitie advoca* veroordeel* veroordeeld
            gevangenis* cel celstraf* moord* ~moord doodgeschoten overval* diefstal* gestolen
            fraude* ~fraude oplichting* corruptie* omkoping* onderzoek_naar verdacht* verdachte*
            slachtoffer* mishandel* misdaad* crimineel* criminelen drugs* ~drugs smokkel* terror*
            aangifte* justitie^
            """,
        "disaster": """
            ramp* ~ramp ongeluk* ~ongeluk ongeval* aardbeving* overstroming* brand^ ~brand vuur
            explosie* neergestort* instort* redding* ~redding evacu* gewonden orkaan* cycloon*
            storm* vulkaan* aardverschuiving*
            """,
        "economy": """
            economie^ economisch* bedrijf^ bedrijven ~bedrijf onderneming* concern* markt markten
            ~markt beurs* aandeel* aandelen aandeelhouder* belegger* investeerder* investering*
            bank^ banken financ* ~financiering handel^ ~handel export* import* inflatie* rente*
            recessie* groei omzet* winst* ~winst verlies* prijs prijzen kosten miljard* miljoen*
            euro dollar belasting* ~belasting begroting* schuld* krediet* faillissement* failliet
            overname* fusie* industrie* fabriek* fabrikant* consument* olie ~olie econoom* topman*
            ceo
            """,
        "education": """
            school* ~school scholier* leerling* leraar* leraren docent* ~docent universiteit*
            hogeschool* student* studenten onderwijs* ~onderwijs examen* eindexamen*
            """,
        "environment": """
            milieu* ~milieu klimaat* ~klimaat klimaatverandering opwarming uitstoot* co2 broeikas*
            biodiversiteit natuur* ~natuur bos bossen duurza* hernieuwbaar* zonne* windmolen*
            windpark* recycl* plastic* afval* vervuil* stikstof*
            """,
        "health": """
            gezondheid* ~zorg zorg^ ziekenhuis* ~ziekenhuis patiënt* arts artsen ~arts dokter*
            verpleeg* medisch* medicijn* ~medicijn ziekte* ~ziekte virus vaccin* ~vaccin covid*
            corona* pandemie* epidemie* infectie* besmet* kanker* behandel* therapie* ggz
            """,
        "labour": """
            werk ~werkloosheid werkloos* werknemer* werkgever* baan banen personeel vakbond*
            ~vakbond staking* ~staking loon lonen ~loon salaris* pensioen* ~pensioen cao ontslag*
            arbeidsmarkt*
            """,
        "lifestyle": """
            reis reizen ~reis toerisme* toerist* vakantie* ~vakantie hotel* restaurant* eten
            recept* koken keuken* mode schoonheid vrije_tijd wijn* bier* koffie auto auto's ~auto
            tuin* wonen
            """,
        "politics": """
            politiek^ ~politiek politicus politici politieke regering^ ~regering kabinet^ ~kabinet
            minister* ~minister ministerie* premier* president* ~president parlement* ~parlement
            tweede_kamer eerste_kamer kamerlid* kamerleden partij^ partijen ~partij coalitie*
            oppositie* verkiezing* ~verkiezingen kiezer* stemming* stemmen referendum kandidat*
            campagne* diplomat* ambassad* sancties* verdrag* burgemeester* ~burgemeester wet ~wet
            wetsvoorstel* democratie* grondwet* eu brussel navo vvd pvv cda d66 groenlinks pvda
            """,
        "religion": """
            religie* religieu* kerk* ~kerk paus* vaticaan* bisschop* priester* dominee* geloof*
            gelovig* islam* moslim* moskee* christen* christelijk* katholiek* joods* joden
            synagoge* god gebed*
            """,
        "science": """
            wetenschap^ ~wetenschap wetenschapper* wetenschappelijk* onderzoek^ ~onderzoek
            onderzoeker* studie* technologie^ ~technologie techniek* ~techniek ruimtevaart* nasa
            esa ruimte raket* astronaut* maan planeet* telescoop* astronom* natuurkund* scheikund*
            biolog* genetisch* dna laboratorium* software^ computer* ~computer internet^ online web
            website* ~website data gegevens kunstmatige_intelligentie ai robot* chip* ~chip
            smartphone* telefoon* ~telefoon mobiel* app apps google apple microsoft facebook amazon
            gebruiker* hacker* cyber* game games gamer* console* netwerk* ~netwerk telecom*
            provider*
            """,
        "society": """
            samenleving* maatschappij* maatschappelijk* sociaal sociale migratie* migrant*
            vluchteling* ~vluchtelingen asiel* ~asiel armoede dakloos* discriminatie* racisme*
            gelijkheid vrouwen kinderen gezin* ~gezin demonstratie* protest* ~protest bevolking*
            mensenrechten* goede_doel*
            """,
        "sport": """
            sport^ ~sport voetbal^ ~voetbal tennis^ golf^ hockey* schaats* wielren* wielrenner*
            ~wielrennen formule_1 atletiek* olympisch* atleet* atleten ploeg* ~ploeg team teams
            elftal* wedstrijd* ~wedstrijd speler* ~speler trainer* ~trainer coach* competitie*
            eredivisie* kampioen* ~kampioen kampioenschap* toernooi* ~toernooi beker* finale*
            halve_finale doelpunt* goal goals scoorde* overwinning* nederlaag* won wint verloor
            club* ~club clubs seizoen* stadion* supporters medaille* ~medaille wereldbeker* ek wk
            race* ~race
            """,
        "conflict": """
            oorlog^ ~oorlog militair* leger* ~leger soldaat* soldaten troep* ~troepen invasie*
            aanval* ~aanval luchtaanval* raket* ~raketten drone* bom* bommen wapen* ~wapens strijd*
            gevecht* front wapenstilstand* vrede* conflict* ~conflict rebel* opstandeling* milit*
            jihad* terrorist* gijzel* defensie* nucleair* kernwapen* taliban hamas hezbollah
            """,
        "weather": """
            ~weer weerbericht* voorspelling* regen* sneeuw* storm* onweer* temperatu* hitte* ~hitte
            hittegolf* kou wind* wolk* vorst knmi
            """,
    },
}
