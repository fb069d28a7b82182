"""A generated corpus of news-sized crime reports, English and Spanish, for the benchmark and tests.

Every article is built from templates written for this file (no real article text): a
headline, a lead paragraph for one of crimewire's event types (or a non-crime story, as a
news feed mixes), then body paragraphs (details, quotes, background, statistics) until the
body reaches a target length drawn between 400 and 600 words, with the clutter news sites
leave in bodies (bylines, "Read more" teasers, related-news lists, captions, widget lines).
Slots (places, groups, agencies, people, counts, days, quantities) are drawn per article,
so texts differ in vocabulary as well as in structure. Output is deterministic for a seed.

    python bench/corpus.py --n 600 --format jsonl --out /tmp/corpus.jsonl
    python bench/corpus.py --n 200 --format html --out /tmp/pages/
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

# --------------------------------------------------------------------------- slot values

# (country EN, country ES, adjective EN, adjective ES (m. pl.), [(region EN, region ES, [cities])])
COUNTRIES: list[tuple[str, str, str, str, list[tuple[str, str, list[str]]]]] = [
    ("Mexico", "México", "Mexican", "mexicanos", [
        ("Sinaloa", "Sinaloa", ["Culiacán", "Mazatlán", "Los Mochis"]),
        ("Jalisco", "Jalisco", ["Guadalajara", "Zapopan", "Puerto Vallarta"]),
        ("Michoacán", "Michoacán", ["Morelia", "Uruapan", "Apatzingán"]),
        ("Guerrero", "Guerrero", ["Acapulco", "Chilpancingo", "Iguala"]),
        ("Tamaulipas", "Tamaulipas", ["Reynosa", "Matamoros", "Nuevo Laredo"]),
        ("Zacatecas", "Zacatecas", ["Fresnillo", "Zacatecas"]),
    ]),
    ("Colombia", "Colombia", "Colombian", "colombianos", [
        ("Antioquia", "Antioquia", ["Medellín", "Bello", "Caucasia"]),
        ("Valle del Cauca", "Valle del Cauca", ["Cali", "Buenaventura", "Palmira"]),
        ("Nariño", "Nariño", ["Tumaco", "Pasto"]),
        ("Norte de Santander", "Norte de Santander", ["Cúcuta", "Ocaña"]),
        ("Bolívar", "Bolívar", ["Cartagena", "Magangué"]),
    ]),
    ("Peru", "Perú", "Peruvian", "peruanos", [
        ("Lima", "Lima", ["Lima", "Callao", "San Juan de Lurigancho"]),
        ("La Libertad", "La Libertad", ["Trujillo", "Chepén"]),
        ("Lambayeque", "Lambayeque", ["Chiclayo", "Ferreñafe"]),
        ("Piura", "Piura", ["Piura", "Sullana"]),
        ("Tumbes", "Tumbes", ["Tumbes", "Zarumilla"]),
    ]),
    ("Ecuador", "Ecuador", "Ecuadorian", "ecuatorianos", [
        ("Guayas", "Guayas", ["Guayaquil", "Durán", "Milagro"]),
        ("Manabí", "Manabí", ["Manta", "Portoviejo"]),
        ("Esmeraldas", "Esmeraldas", ["Esmeraldas", "San Lorenzo"]),
        ("El Oro", "El Oro", ["Machala", "Huaquillas"]),
    ]),
    ("Chile", "Chile", "Chilean", "chilenos", [
        ("Santiago Metropolitan Region", "Región Metropolitana", ["Santiago", "Puente Alto", "Maipú"]),
        ("Tarapacá", "Tarapacá", ["Iquique", "Alto Hospicio"]),
        ("Arica y Parinacota", "Arica y Parinacota", ["Arica"]),
        ("Antofagasta", "Antofagasta", ["Antofagasta", "Calama"]),
    ]),
    ("Venezuela", "Venezuela", "Venezuelan", "venezolanos", [
        ("Zulia", "Zulia", ["Maracaibo", "Cabimas"]),
        ("Aragua", "Aragua", ["Maracay", "Tocorón"]),
        ("Bolívar", "Bolívar", ["Ciudad Guayana", "El Callao"]),
    ]),
    ("Brazil", "Brasil", "Brazilian", "brasileños", [
        ("São Paulo", "São Paulo", ["São Paulo", "Santos", "Campinas"]),
        ("Rio de Janeiro", "Río de Janeiro", ["Rio de Janeiro", "Niterói"]),
        ("Amazonas", "Amazonas", ["Manaus", "Tabatinga"]),
    ]),
    ("Honduras", "Honduras", "Honduran", "hondureños", [
        ("Cortés", "Cortés", ["San Pedro Sula", "Puerto Cortés"]),
        ("Francisco Morazán", "Francisco Morazán", ["Tegucigalpa"]),
    ]),
    ("Guatemala", "Guatemala", "Guatemalan", "guatemaltecos", [
        ("Escuintla", "Escuintla", ["Escuintla", "Puerto San José"]),
        ("Petén", "Petén", ["Flores", "Sayaxché"]),
    ]),
    ("Spain", "España", "Spanish", "españoles", [
        ("Andalusia", "Andalucía", ["Algeciras", "Málaga", "Sevilla"]),
        ("Galicia", "Galicia", ["Vigo", "Pontevedra"]),
        ("Catalonia", "Cataluña", ["Barcelona", "Tarragona"]),
    ]),
    ("the United States", "Estados Unidos", "U.S.", "estadounidenses", [
        ("Texas", "Texas", ["Houston", "El Paso", "McAllen"]),
        ("California", "California", ["Los Angeles", "San Diego"]),
        ("Arizona", "Arizona", ["Phoenix", "Tucson"]),
    ]),
    ("Costa Rica", "Costa Rica", "Costa Rican", "costarricenses", [
        ("Limón", "Limón", ["Limón", "Siquirres"]),
        ("San José", "San José", ["San José", "Desamparados"]),
    ]),
]

# (name EN, name ES, short name) - real groups news reports name, and invented local gangs.
ORGS: list[tuple[str, str, str]] = [
    ("the Sinaloa Cartel", "el Cártel de Sinaloa", "Sinaloa Cartel"),
    ("the Jalisco New Generation Cartel", "el Cártel Jalisco Nueva Generación", "CJNG"),
    ("the Gulf Clan", "el Clan del Golfo", "Clan del Golfo"),
    ("the Tren de Aragua", "el Tren de Aragua", "Tren de Aragua"),
    ("Los Choneros", "Los Choneros", "Los Choneros"),
    ("Los Lobos", "Los Lobos", "Los Lobos"),
    ("MS-13", "la Mara Salvatrucha (MS-13)", "MS-13"),
    ("Barrio 18", "el Barrio 18", "Barrio 18"),
    ("the First Capital Command (PCC)", "el Primer Comando de la Capital (PCC)", "PCC"),
    ("Comando Vermelho", "el Comando Vermelho", "Comando Vermelho"),
    ("La Familia Michoacana", "La Familia Michoacana", "La Familia Michoacana"),
    ("the Gulf Cartel", "el Cártel del Golfo", "Gulf Cartel"),
    ("Los Tiguerones", "Los Tiguerones", "Los Tiguerones"),
    ("Los Pulpos", "Los Pulpos", "Los Pulpos"),
    ("Los Shottas", "Los Shottas", "Los Shottas"),
]
GANG_FIRST = ["Los Malditos", "Los Injertos", "Los Topos", "Los Gatilleros", "Los Cuervos", "Los Pepes",
              "Los Mexicles", "Los Rastrojos", "Los Tigres", "Los Halcones", "Los Chacales", "Los Compadres"]
GANG_SECOND = ["del Sur", "del Puerto", "de la Frontera", "del Norte", "de San Miguel", "del Valle",
               "de la Costa", "de El Alto", "de Villa Nueva", "del Callejón"]

FIRST = ["José", "Luis", "Carlos", "Juan", "Miguel", "Jorge", "Andrés", "Ricardo", "Fernando", "Óscar",
         "Héctor", "Raúl", "Sergio", "Alejandro", "Diego", "Javier", "María", "Ana", "Carmen", "Rosa",
         "Lucía", "Gabriela", "Patricia", "Daniela", "Elena", "Sofía", "Valeria", "Mónica", "Brenda",
         "Édgar", "Iván", "Rubén", "Wilmer", "Yorman", "Kevin", "Franklin", "Nelson", "Abel", "Marcos"]
LAST = ["García", "Rodríguez", "Martínez", "Hernández", "López", "González", "Pérez", "Sánchez",
        "Ramírez", "Torres", "Flores", "Rivera", "Gómez", "Díaz", "Cruz", "Morales", "Reyes", "Ortiz",
        "Gutiérrez", "Chávez", "Ramos", "Vargas", "Castillo", "Jiménez", "Moreno", "Romero", "Herrera",
        "Medina", "Aguilar", "Vega", "Castro", "Mendoza", "Rojas", "Guerrero", "Salazar", "Cárdenas",
        "Zambrano", "Quispe", "Mamani", "Villalobos", "Bermúdez", "Paredes", "Acosta", "Fajardo"]
ALIASES = ["El Flaco", "El Gordo", "El Chino", "La Jefa", "El Mocho", "El Tigre", "El Güero",
           "Cara de Niño", "El Negro", "El Loco", "El Profe", "Pelusa", "El Brujo", "La Güera"]

AGENCIES_EN = ["police", "the national police", "the Attorney General's Office", "prosecutors",
               "the army", "the navy", "federal agents", "the anti-kidnapping unit",
               "the organized crime prosecutor's office", "the Interior Ministry", "investigators",
               "the coast guard", "customs officers", "the National Guard"]
AGENCIES_ES = ["la Policía Nacional", "la Fiscalía General", "el Ejército", "la Armada",
               "agentes federales", "la unidad antisecuestros", "la Fiscalía contra el Crimen Organizado",
               "el Ministerio del Interior", "los investigadores", "la Guardia Costera",
               "agentes de aduanas", "la Guardia Nacional", "la Dirección Antinarcóticos"]
OFFICIALS_EN = ["prosecutor", "police chief", "Interior Minister", "security secretary", "colonel",
                "regional police commander", "Attorney General", "mayor"]
OFFICIALS_ES = ["el fiscal", "el jefe policial", "el ministro del Interior", "el secretario de Seguridad",
                "el coronel", "el comandante regional de la Policía", "la fiscal general", "el alcalde"]

ITEMS_EN = [("cocaine", "kilograms"), ("cocaine", "tonnes"), ("marijuana", "kilograms"),
            ("methamphetamine", "kilograms"), ("fentanyl pills", "units"), ("rifles", "units"),
            ("handguns", "units"), ("rounds of ammunition", "units"), ("cash", "USD")]
ITEMS_ES = [("cocaína", "kilos"), ("cocaína", "toneladas"), ("marihuana", "kilos"),
            ("metanfetamina", "kilos"), ("pastillas de fentanilo", "unidades"), ("fusiles", "unidades"),
            ("pistolas", "unidades"), ("cartuchos", "unidades"), ("dinero en efectivo", "USD")]

WEEKDAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEEKDAYS_ES = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"]
MONTHS_ES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
             "octubre", "noviembre", "diciembre"]
NUMBER_WORDS_EN = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                   "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                   "eighteen", "nineteen", "twenty"]
NUMBER_WORDS_ES = ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve",
                   "diez", "once", "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete",
                   "dieciocho", "diecinueve", "veinte"]
OUTLETS = [("Diario del Pacífico", "diariodelpacifico.example"), ("The Southern Wire", "southernwire.example"),
           ("El Observador Andino", "observadorandino.example"), ("Frontera Hoy", "fronterahoy.example"),
           ("Continental Report", "continentalreport.example"), ("La Voz del Golfo", "vozdelgolfo.example")]

# --------------------------------------------------------------------------- templates, English

LEADS_EN: dict[str, list[str]] = {
    "arrest": [
        "{Agency} arrested {n} suspected members of {org} on {weekday} in {city}, in an operation that "
        "also targeted the group's finances in {region}, authorities said.",
        "{N} people accused of working for {org} were detained on {weekday} during raids in {city} and "
        "two neighbouring towns, according to a statement from {agency}.",
        "A man identified as {person}, alias \"{alias}\", who is believed to lead a cell of {org} in "
        "{region}, was captured on {weekday} in {city}, {agency} reported.",
    ],
    "rescue": [
        "{Agency} rescued {n} women who had been held in a house in {city} and forced into sex work by a "
        "network linked to {org}, officials said on {weekday}.",
        "{N} migrants, among them several minors, were freed on {weekday} from a warehouse in {city} where "
        "smugglers had kept them for weeks, {agency} said.",
    ],
    "killing": [
        "Gunmen killed {n} people on {weekday} night at a bar in {city}, in an attack that local officials "
        "blamed on a dispute between {org} and {org2}.",
        "{N} men were shot dead on {weekday} in a neighbourhood of {city}, {region}, where {org} has been "
        "fighting a local gang for control of drug sales, police said.",
    ],
    "remains_found": [
        "Forensic teams found the remains of {n} people in a clandestine grave on the outskirts of {city}, "
        "{region}, {agency} said on {weekday}.",
        "The bodies of {n} men were discovered on {weekday} in an abandoned lot in {city}, some of them "
        "with signs of torture, according to local authorities.",
    ],
    "seizure": [
        "{Agency} seized {qty} {unit} of {item} on {weekday} at the port of {city}, hidden in a shipment "
        "of bananas bound for Europe, in one of the largest hauls of the year.",
        "Soldiers confiscated {qty} {unit} of {item} and {n} rifles on {weekday} at a ranch near {city} "
        "that investigators say belonged to {org}.",
    ],
    "raid": [
        "Hundreds of officers raided {n} properties across {region} on {weekday} in an operation against "
        "the money-laundering network of {org}, {agency} said.",
        "{Agency} carried out {n} simultaneous raids in {city} on {weekday}, searching homes and "
        "businesses used by {org} to store drugs and weapons.",
    ],
    "kidnapping": [
        "{N} workers of a mining company were kidnapped on {weekday} on a road near {city}, and "
        "authorities suspect a cell of {org}, the regional government said.",
        "A businessman was abducted on {weekday} outside his home in {city}, {region}, and his family "
        "received a ransom demand hours later, {agency} said.",
    ],
    "extortion": [
        "{Agency} dismantled on {weekday} a gang that extorted bus drivers and shopkeepers in {city}, "
        "charging them weekly fees on behalf of {org}.",
        "Shop owners in {city} say members of {org} demand up to {money} dollars a month in \"protection\" "
        "payments, and {n} businesses have closed since January, according to a local trade group.",
    ],
    "trafficking": [
        "{Agency} broke up on {weekday} a human trafficking ring that lured {n} young women from "
        "{country2} with false job offers and exploited them in {city}.",
        "A network that smuggled migrants through {region} and charged them up to {money} dollars each "
        "was dismantled on {weekday}, with {n} arrests, {agency} said.",
    ],
    "attack": [
        "Unknown attackers threw an explosive device at a police station in {city} on {weekday}, wounding "
        "{n} officers, in an assault that authorities attributed to {org}.",
        "Armed men attacked a military patrol on {weekday} on a rural road outside {city}, {region}, "
        "leaving {n} soldiers injured, the defence ministry said.",
    ],
    "charge": [
        "Prosecutors on {weekday} charged {n} alleged members of {org} with drug trafficking, money "
        "laundering and criminal association, after a two-year investigation in {region}.",
        "{Person}, known as \"{alias}\", was formally charged on {weekday} with homicide and extortion "
        "before a court in {city}, {agency} said.",
    ],
    "sentence": [
        "A court in {city} on {weekday} sentenced {n} members of {org} to {years} years in prison for "
        "kidnapping and homicide.",
        "{Person}, a former leader of {org} in {region}, was sentenced on {weekday} to {years} years in "
        "prison for drug trafficking, the prosecutor's office said.",
    ],
    "extradition": [
        "{Person}, alias \"{alias}\", an alleged financial operator of {org}, was extradited on {weekday} "
        "to the United States, where he faces drug trafficking charges, {agency} said.",
        "{Country} extradited {n} alleged members of {org} on {weekday} to face charges of cocaine "
        "trafficking and money laundering abroad.",
    ],
    "escape": [
        "{N} inmates escaped on {weekday} from a prison in {city}, among them a leader of {org}, "
        "prompting a manhunt across {region}, officials said.",
        "A prisoner serving a sentence for kidnapping escaped on {weekday} from a hospital in {city} "
        "where he had been taken for treatment, {agency} said.",
    ],
}

BODY_EN = [
    "According to {agency}, the operation involved more than {big} officers and had been prepared for "
    "{months} months, with wiretaps, surveillance and financial analysis of {n2} bank accounts.",
    "\"This is a heavy blow against organized crime in {region},\" the {official} told reporters in "
    "{city}. \"We will continue working until every member of these networks is behind bars.\"",
    "Investigators said the group used front companies, including a car wash and two hardware stores, "
    "to launder money from drug sales and extortion in {city} and nearby towns.",
    "{org_cap} emerged in {founded} and has since expanded into several countries, according to "
    "intelligence reports. Its members are accused of homicide, extortion, drug trafficking and "
    "human smuggling.",
    "Residents of {city} have reported a rise in violence in recent months. The local chamber of "
    "commerce says that dozens of small businesses have paid fees to criminal groups to be allowed "
    "to keep working.",
    "Among the items found during the searches were {n2} mobile phones, notebooks with accounts, "
    "{n3} vehicles and an undisclosed amount of cash, officials said.",
    "The suspects were taken to {city}, where a judge will decide whether they remain in custody "
    "while the investigation continues, {agency2} said in a statement.",
    "Authorities did not release the names of all those detained, but said that at least {n3} of them "
    "had previous records for robbery and illegal possession of weapons.",
    "The {official} said the investigation began after a complaint filed in {month} by a relative of "
    "one of the victims, who had received threats by phone.",
    "Security analysts say the fragmentation of large criminal organizations has multiplied the "
    "number of local gangs competing for drug routes, ports and illegal mining areas.",
    "Human rights groups have questioned the use of the armed forces in public security tasks, "
    "arguing that it has not reduced homicide rates in the long term.",
    "In {year_past}, a similar operation in {city2} ended with the arrest of {n3} people, but most "
    "of them were released within months for lack of evidence.",
    "The government of {country} declared a state of emergency in several provinces earlier this "
    "year, allowing soldiers to patrol the streets alongside police officers.",
    "Officials said cooperation with authorities in {country2} had been key to identifying the "
    "routes used by the network to move drugs and people across the border.",
    "One of the detainees, {person2}, is suspected of coordinating payments to corrupt officers, "
    "according to documents seen by this newspaper.",
    "The {official} added that some of the victims were foreign nationals who had arrived in the "
    "country with promises of work in restaurants and shops.",
    "Homicides in {region} rose by {pct} percent last year, according to official figures, making it "
    "one of the most violent areas of the country.",
    "Police said the group communicated through encrypted messaging applications and changed phones "
    "every few weeks to avoid being tracked.",
    "Relatives of the victims gathered outside the prosecutor's office on {weekday2} to demand "
    "information and a faster investigation.",
    "The suspects face charges that carry sentences of up to {years} years in prison if they are "
    "convicted, the prosecutor's office said.",
    "Local media reported that the operation caused traffic disruption in the centre of {city} for "
    "several hours as armoured vehicles blocked access to the area.",
    "Experts say ports on the Pacific coast have become key exit points for cocaine shipped to Europe "
    "and Asia, hidden among legal exports such as fruit and timber.",
    "The investigation remains open, and authorities did not rule out further arrests in the coming "
    "weeks, {agency2} said.",
]

NEUTRAL_LEADS_EN = [
    "The central bank of {country} kept its benchmark interest rate unchanged on {weekday}, citing "
    "slowing inflation and uncertainty about global demand for its exports.",
    "Heavy rains caused flooding in several neighbourhoods of {city} on {weekday}, forcing the "
    "evacuation of hundreds of families and the closure of schools.",
    "The national football team of {country} beat its rival {score} on {weekday} in a qualifying "
    "match played in front of a full stadium in {city}.",
    "Thousands of people attended the opening of a cultural festival in {city} on {weekday}, which "
    "includes concerts, theatre and food fairs until the end of the month.",
]
NEUTRAL_BODY_EN = [
    "Analysts said the decision had been widely expected and that markets reacted calmly, with the "
    "currency trading almost unchanged against the dollar.",
    "The mayor of {city} said emergency crews were working around the clock and asked residents to "
    "avoid travelling unless necessary.",
    "Tourism officials expect more than {big} visitors during the season, which would be a record for "
    "the region.",
    "The coach praised the young players and said the team still had work to do before the next round "
    "of matches in {month}.",
    "Exports of copper, fruit and fish grew by {pct} percent in the first half of the year, according "
    "to the trade ministry.",
    "Organisers said the event was free and open to the public, and that security had been reinforced "
    "around the main venues.",
    "Meteorologists forecast more rain for the coming days and warned of possible landslides in hilly "
    "areas around {city}.",
    "The government said it would announce new investment in roads and schools in {region} before "
    "the end of the year.",
    "Business leaders welcomed the news but warned that high borrowing costs continue to weigh on "
    "small companies.",
    "Several roads remained closed on {weekday2}, and the electricity company said it had restored "
    "service to most homes.",
]

HEADLINES_EN = {
    "arrest": "{N} suspected members of {short} arrested in {city}",
    "rescue": "{N} victims rescued in {city} operation",
    "killing": "{N} killed in attack in {city}",
    "remains_found": "Remains of {n} people found near {city}",
    "seizure": "{Qty} {unit} of {item} seized in {city}",
    "raid": "Police raid {n} properties linked to {short}",
    "kidnapping": "Kidnapping in {city} blamed on {short}",
    "extortion": "Extortion gang dismantled in {city}",
    "trafficking": "Human trafficking ring broken up in {city}",
    "attack": "Attack on security forces in {city}",
    "charge": "{short} suspects charged in {region}",
    "sentence": "{short} members sentenced to {years} years",
    "extradition": "Alleged {short} operator extradited",
    "escape": "Inmates escape from prison in {city}",
    "neutral": "{Country}: news from {city}",
}

CLUTTER_EN = [
    "Also read: {other_headline}",
    "READ MORE: {other_headline}",
    "Advertisement",
    "Share this article",
    "Sign up for our daily newsletter",
    "Photo: {wire}",
    "(Reporting by {person3}; Editing by {person4})",
    "By {person3}",
    "Related: {other_headline}",
]
RELATED_EN = "Related news"

# --------------------------------------------------------------------------- templates, Spanish

LEADS_ES: dict[str, list[str]] = {
    "arrest": [
        "{Agency} detuvo este {weekday} a {n} presuntos integrantes de {org} en {city}, en un operativo "
        "que también apuntó a las finanzas del grupo en {region}, informaron las autoridades.",
        "Un total de {n} personas acusadas de trabajar para {org} fueron capturadas el {weekday} durante "
        "allanamientos en {city} y dos municipios vecinos, según un comunicado de {agency}.",
        "Un hombre identificado como {person}, alias \"{alias}\", señalado como cabecilla de una célula "
        "de {org} en {region}, fue capturado este {weekday} en {city}, informó {agency}.",
    ],
    "rescue": [
        "{Agency} rescató a {n} mujeres que permanecían retenidas en una vivienda de {city} y eran "
        "obligadas a prostituirse por una red vinculada a {org}, informaron las autoridades el {weekday}.",
        "Un total de {n} migrantes, entre ellos varios menores de edad, fueron liberados este {weekday} "
        "de una bodega en {city} donde los traficantes los mantenían desde hacía semanas, según {agency}.",
    ],
    "killing": [
        "Hombres armados asesinaron a {n} personas la noche del {weekday} en un bar de {city}, en un "
        "ataque que las autoridades locales atribuyeron a la disputa entre {org} y {org2}.",
        "{N} hombres murieron baleados este {weekday} en un barrio de {city}, {region}, donde {org} "
        "disputa con una banda local el control de la venta de drogas, informó la policía.",
    ],
    "remains_found": [
        "Equipos forenses hallaron los restos de {n} personas en una fosa clandestina en las afueras de "
        "{city}, {region}, informó {agency} este {weekday}.",
        "Los cuerpos de {n} hombres fueron encontrados el {weekday} en un terreno baldío de {city}, "
        "algunos con señales de tortura, según las autoridades locales.",
    ],
    "seizure": [
        "{Agency} incautó este {weekday} {qty} {unit} de {item} en el puerto de {city}, ocultos en un "
        "cargamento de banano con destino a Europa, uno de los mayores decomisos del año.",
        "Militares decomisaron el {weekday} {qty} {unit} de {item} y {n} fusiles en un rancho cercano a "
        "{city} que, según los investigadores, pertenecía a {org}.",
    ],
    "raid": [
        "Cientos de agentes allanaron {n} inmuebles en {region} este {weekday} en un operativo contra la "
        "red de lavado de dinero de {org}, informó {agency}.",
        "{Agency} realizó el {weekday} {n} allanamientos simultáneos en {city}, en viviendas y negocios "
        "que {org} usaba para almacenar drogas y armas.",
    ],
    "kidnapping": [
        "{N} trabajadores de una empresa minera fueron secuestrados este {weekday} en una carretera "
        "cercana a {city}, y las autoridades sospechan de una célula de {org}, informó el gobierno regional.",
        "Un empresario fue secuestrado el {weekday} frente a su vivienda en {city}, {region}, y su familia "
        "recibió horas después una exigencia de rescate, según {agency}.",
    ],
    "extortion": [
        "{Agency} desarticuló este {weekday} una banda que extorsionaba a conductores de buses y "
        "comerciantes de {city}, a quienes cobraba cuotas semanales en nombre de {org}.",
        "Comerciantes de {city} denuncian que integrantes de {org} les exigen hasta {money} dólares "
        "mensuales como \"vacuna\", y {n} negocios han cerrado desde enero, según un gremio local.",
    ],
    "trafficking": [
        "{Agency} desarticuló el {weekday} una red de trata de personas que captaba a {n} mujeres "
        "jóvenes de {country2} con falsas ofertas de empleo y las explotaba en {city}.",
        "Una red que trasladaba migrantes a través de {region} y les cobraba hasta {money} dólares por "
        "persona fue desarticulada este {weekday}, con {n} detenidos, informó {agency}.",
    ],
    "attack": [
        "Desconocidos lanzaron un artefacto explosivo contra una comisaría de {city} este {weekday}, "
        "hiriendo a {n} policías, en un ataque que las autoridades atribuyeron a {org}.",
        "Hombres armados atacaron el {weekday} a una patrulla militar en un camino rural de {city}, "
        "{region}, y dejaron {n} soldados heridos, informó el ministerio de Defensa.",
    ],
    "charge": [
        "La Fiscalía imputó este {weekday} a {n} presuntos integrantes de {org} los delitos de tráfico "
        "de drogas, lavado de activos y concierto para delinquir, tras dos años de investigación en {region}.",
        "{Person}, conocido como \"{alias}\", fue acusado formalmente el {weekday} de homicidio y "
        "extorsión ante un juzgado de {city}, informó {agency}.",
    ],
    "sentence": [
        "Un tribunal de {city} condenó este {weekday} a {n} integrantes de {org} a {years} años de "
        "prisión por secuestro y homicidio.",
        "{Person}, exjefe de {org} en {region}, fue condenado el {weekday} a {years} años de cárcel por "
        "narcotráfico, informó la fiscalía.",
    ],
    "extradition": [
        "{Person}, alias \"{alias}\", presunto operador financiero de {org}, fue extraditado este "
        "{weekday} a Estados Unidos, donde enfrenta cargos por narcotráfico, informó {agency}.",
        "{Country} extraditó el {weekday} a {n} presuntos integrantes de {org} para que respondan en el "
        "extranjero por tráfico de cocaína y lavado de dinero.",
    ],
    "escape": [
        "{N} reos se fugaron este {weekday} de una cárcel de {city}, entre ellos un cabecilla de {org}, "
        "lo que desató una intensa búsqueda en {region}, informaron las autoridades.",
        "Un preso que cumplía condena por secuestro escapó el {weekday} de un hospital de {city} al que "
        "había sido trasladado para recibir atención médica, informó {agency}.",
    ],
}

BODY_ES = [
    "Según {agency}, en el operativo participaron más de {big} agentes y fue preparado durante "
    "{months} meses, con interceptaciones telefónicas, seguimientos y el análisis de {n2} cuentas bancarias.",
    "\"Es un duro golpe contra el crimen organizado en {region}\", dijo {official} a los periodistas en "
    "{city}. \"Seguiremos trabajando hasta que cada integrante de estas redes esté tras las rejas\".",
    "Los investigadores señalaron que el grupo utilizaba empresas de fachada, entre ellas un lavadero "
    "de autos y dos ferreterías, para lavar el dinero de la venta de drogas y las extorsiones.",
    "{org_cap} surgió en {founded} y desde entonces se expandió a varios países, según informes de "
    "inteligencia. Sus integrantes son acusados de homicidio, extorsión, narcotráfico y tráfico de migrantes.",
    "Los vecinos de {city} denuncian un aumento de la violencia en los últimos meses. La cámara de "
    "comercio local asegura que decenas de pequeños negocios pagan cuotas a grupos criminales para "
    "poder seguir trabajando.",
    "Entre los objetos hallados durante los registros figuran {n2} teléfonos celulares, cuadernos con "
    "cuentas, {n3} vehículos y una suma de dinero en efectivo no revelada, indicaron las autoridades.",
    "Los sospechosos fueron trasladados a {city}, donde un juez decidirá si permanecen detenidos "
    "mientras continúa la investigación, señaló {agency2} en un comunicado.",
    "Las autoridades no revelaron los nombres de todos los detenidos, pero indicaron que al menos {n3} "
    "de ellos tenían antecedentes por robo y porte ilegal de armas.",
    "{Official} explicó que la investigación comenzó tras una denuncia presentada en {month} por un "
    "familiar de una de las víctimas, que había recibido amenazas por teléfono.",
    "Analistas de seguridad sostienen que la fragmentación de las grandes organizaciones criminales ha "
    "multiplicado el número de bandas locales que compiten por rutas de droga, puertos y zonas de minería ilegal.",
    "Organizaciones de derechos humanos han cuestionado el uso de las fuerzas armadas en tareas de "
    "seguridad pública, al considerar que no ha reducido los homicidios a largo plazo.",
    "En {year_past}, un operativo similar en {city2} terminó con la detención de {n3} personas, pero la "
    "mayoría recuperó la libertad en pocos meses por falta de pruebas.",
    "El gobierno de {country} declaró a comienzos de año el estado de excepción en varias provincias, "
    "lo que permite a los militares patrullar las calles junto a la policía.",
    "Las autoridades destacaron que la cooperación con {country2} fue clave para identificar las rutas "
    "que usaba la red para mover drogas y personas a través de la frontera.",
    "Uno de los detenidos, {person2}, es señalado como el encargado de coordinar pagos a funcionarios "
    "corruptos, según documentos a los que tuvo acceso este diario.",
    "{Official} añadió que algunas de las víctimas eran extranjeras que llegaron al país con promesas "
    "de trabajo en restaurantes y comercios.",
    "Los homicidios en {region} aumentaron un {pct} por ciento el año pasado, según cifras oficiales, lo "
    "que la convierte en una de las zonas más violentas del país.",
    "La policía indicó que el grupo se comunicaba mediante aplicaciones de mensajería cifrada y "
    "cambiaba de teléfono cada pocas semanas para evitar ser rastreado.",
    "Familiares de las víctimas se concentraron el {weekday2} frente a la sede de la fiscalía para "
    "exigir información y una investigación más rápida.",
    "Los sospechosos enfrentan cargos que contemplan penas de hasta {years} años de prisión si son "
    "declarados culpables, indicó la fiscalía.",
    "Medios locales informaron que el operativo provocó cortes de tránsito en el centro de {city} "
    "durante varias horas, mientras vehículos blindados bloqueaban el acceso a la zona.",
    "Expertos señalan que los puertos del Pacífico se han convertido en puntos clave de salida de la "
    "cocaína enviada a Europa y Asia, oculta entre exportaciones legales como fruta y madera.",
    "La investigación sigue abierta y las autoridades no descartan nuevas detenciones en las próximas "
    "semanas, señaló {agency2}.",
]

NEUTRAL_LEADS_ES = [
    "El banco central de {country} mantuvo sin cambios su tasa de interés de referencia este {weekday}, "
    "ante la desaceleración de la inflación y la incertidumbre sobre la demanda de sus exportaciones.",
    "Fuertes lluvias provocaron inundaciones en varios barrios de {city} el {weekday}, lo que obligó a "
    "evacuar a cientos de familias y a suspender las clases.",
    "La selección de fútbol de {country} venció a su rival por {score} este {weekday} en un partido "
    "de eliminatorias disputado ante un estadio lleno en {city}.",
    "Miles de personas asistieron el {weekday} a la inauguración de un festival cultural en {city}, que "
    "incluye conciertos, teatro y ferias gastronómicas hasta fin de mes.",
]
NEUTRAL_BODY_ES = [
    "Los analistas dijeron que la decisión era esperada y que los mercados reaccionaron con calma, con "
    "la moneda casi sin cambios frente al dólar.",
    "El alcalde de {city} afirmó que los equipos de emergencia trabajan sin descanso y pidió a los "
    "vecinos evitar desplazamientos innecesarios.",
    "Las autoridades de turismo esperan más de {big} visitantes durante la temporada, lo que sería un "
    "récord para la región.",
    "El entrenador elogió a los jugadores jóvenes y dijo que el equipo aún tiene trabajo por hacer antes "
    "de la próxima fecha en {month}.",
    "Las exportaciones de cobre, fruta y pescado crecieron un {pct} por ciento en el primer semestre, "
    "según el ministerio de Comercio.",
    "Los organizadores indicaron que el evento es gratuito y abierto al público, y que se reforzó la "
    "seguridad en los principales escenarios.",
    "Los meteorólogos pronostican más lluvias para los próximos días y advierten de posibles deslizamientos "
    "en las zonas de ladera de {city}.",
    "El gobierno anunció que antes de fin de año presentará nuevas inversiones en carreteras y escuelas "
    "en {region}.",
    "Los empresarios celebraron la noticia, pero advirtieron que el alto costo del crédito sigue "
    "afectando a las pequeñas empresas.",
    "Varias carreteras seguían cerradas el {weekday2}, y la compañía eléctrica informó que restableció el "
    "servicio en la mayoría de los hogares.",
]

HEADLINES_ES = {
    "arrest": "Detienen a {n} presuntos integrantes de {short} en {city}",
    "rescue": "Rescatan a {n} víctimas en un operativo en {city}",
    "killing": "{N} muertos en un ataque armado en {city}",
    "remains_found": "Hallan los restos de {n} personas cerca de {city}",
    "seizure": "Incautan {qty} {unit} de {item} en {city}",
    "raid": "Allanan {n} inmuebles vinculados a {short}",
    "kidnapping": "Secuestro en {city}: sospechan de {short}",
    "extortion": "Desarticulan banda de extorsionadores en {city}",
    "trafficking": "Cae red de trata de personas en {city}",
    "attack": "Ataque contra fuerzas de seguridad en {city}",
    "charge": "Imputan a presuntos miembros de {short} en {region}",
    "sentence": "Condenan a {years} años a integrantes de {short}",
    "extradition": "Extraditan a presunto operador de {short}",
    "escape": "Reos se fugan de una cárcel en {city}",
    "neutral": "{Country}: noticias desde {city}",
}

CLUTTER_ES = [
    "Lea también: {other_headline}",
    "Te puede interesar: {other_headline}",
    "Publicidad",
    "Compartir en Facebook",
    "Suscríbete a nuestro boletín",
    "Foto: {wire}",
    "Por {person3} | EFE",
    "(Con información de {wire})",
    "Noticias relacionadas: {other_headline}",
]
RELATED_ES = "Noticias relacionadas"
WIRES = ["EFE", "AFP", "Reuters", "AP", "Europa Press", "Archivo", "Cortesía"]

EVENT_TYPES = list(LEADS_EN)
# Share of stories with no crime event, as in a general news feed (a guess; CC-News is mostly
# not crime, but crimewire's inputs are usually pre-filtered by keyword or section).
NEUTRAL_SHARE = 0.15


# --------------------------------------------------------------------------- generation


@dataclass(frozen=True)
class Generated:
    """One generated article."""

    id: str
    lang: str
    kind: str  # an event type, or "neutral"
    title: str
    text: str
    published: date
    url: str
    outlet: str

    def record(self, *, declare_lang: bool = False) -> dict[str, str]:
        """A JSON Lines record in crimewire's input format."""
        rec = {"id": self.id, "title": self.title, "text": self.text, "date": self.published.isoformat(),
               "url": self.url, "outlet": self.outlet}
        if declare_lang:
            rec["lang"] = self.lang
        return rec


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _count(rng: random.Random, lang: str, low: int = 2, high: int = 60) -> str:
    """A count as digits, or as a number word one time in three for small counts."""
    n = rng.randint(low, high)
    if n <= 20 and rng.random() < 0.35:
        return (NUMBER_WORDS_EN if lang == "en" else NUMBER_WORDS_ES)[n]
    return str(n)


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}" + (f" {rng.choice(LAST)}" if rng.random() < 0.4 else "")


def _org(rng: random.Random, lang: str) -> tuple[str, str]:
    """(name as used in a sentence, short name) of a real or invented group."""
    if rng.random() < 0.7:
        en, es, short = rng.choice(ORGS)
        return (en if lang == "en" else es), short
    name = f"{rng.choice(GANG_FIRST)} {rng.choice(GANG_SECOND)}"
    return (f"the gang {name}" if lang == "en" else f"la banda {name}"), name


def _slots(rng: random.Random, lang: str, published: date) -> dict[str, str]:
    country = rng.choice(COUNTRIES)
    other = rng.choice([c for c in COUNTRIES if c is not country])
    region_en, region_es, cities = rng.choice(country[4])
    all_cities = [c for _, _, cs in country[4] for c in cs]
    org, short = _org(rng, lang)
    org2, _ = _org(rng, lang)
    agencies = AGENCIES_EN if lang == "en" else AGENCIES_ES
    agency = rng.choice(agencies)
    if lang == "en" and agency == "police" and rng.random() < 0.6:
        agency = f"{country[2]} police"
    items = ITEMS_EN if lang == "en" else ITEMS_ES
    item, unit = rng.choice(items)
    qty = rng.choice([str(rng.randint(2, 900)), f"{rng.randint(1, 9)}.{rng.randint(1, 9)}"])
    if unit == "USD":
        qty, unit, item = f"{rng.randint(2, 90) * 10_000:,}", ("dollars in" if lang == "en" else "dólares en"), item
    weekdays = WEEKDAYS_EN if lang == "en" else WEEKDAYS_ES
    months = MONTHS_EN if lang == "en" else MONTHS_ES
    official = rng.choice(OFFICIALS_EN if lang == "en" else OFFICIALS_ES)
    headlines = list((HEADLINES_EN if lang == "en" else HEADLINES_ES).values())
    n = _count(rng, lang)
    slots = {
        "country": country[0] if lang == "en" else country[1],
        "country2": other[0] if lang == "en" else other[1],
        "region": region_en if lang == "en" else region_es,
        "city": rng.choice(cities),
        "city2": rng.choice(all_cities),
        "org": org,
        "org2": org2,
        "short": short,
        "agency": agency,
        "agency2": rng.choice(agencies),
        "n": n,
        "n2": str(rng.randint(3, 120)),
        "n3": str(rng.randint(2, 15)),
        "big": str(rng.choice([150, 200, 300, 450, 600, 1200, 2000])),
        "months": str(rng.randint(3, 18)),
        "qty": qty,
        "unit": unit,
        "item": item,
        "money": f"{rng.randint(1, 40) * 250:,}",
        "person": _person(rng),
        "person2": _person(rng),
        "person3": _person(rng),
        "person4": _person(rng),
        "alias": rng.choice(ALIASES),
        "official": official,
        "weekday": weekdays[(published.weekday() - rng.randint(1, 4)) % 7],
        "weekday2": rng.choice(weekdays),
        "month": months[(published.month - 1 - rng.randint(1, 8)) % 12],
        "year_past": str(published.year - rng.randint(2, 9)),
        "founded": str(rng.randint(1985, 2015)),
        "years": str(rng.choice([8, 12, 15, 20, 25, 30, 35, 40, 50, 60])),
        "pct": str(rng.randint(5, 60)),
        "score": f"{rng.randint(1, 4)}{'-' if lang == 'en' else ' a '}{rng.randint(0, 2)}",
        "wire": rng.choice(WIRES),
    }
    slots["other_headline"] = rng.choice(headlines).format_map(_Caps(slots | {"city": rng.choice(all_cities)}))
    return slots


class _Caps(dict):  # type: ignore[type-arg]
    """Slot values; ``{Name}`` gives ``{name}`` capitalized."""

    def __missing__(self, key: str) -> str:
        lower = key[:1].lower() + key[1:]
        if lower != key and lower in self:
            return _cap(self[lower])
        if key == "org_cap":
            return _cap(self["org"])
        raise KeyError(key)


def _words(text: str) -> int:
    return len(re.findall(r"\S+", text))


def generate_article(index: int, seed: int, lang: str, words: tuple[int, int] = (400, 600)) -> Generated:
    """Article number ``index`` of the corpus for ``seed`` (deterministic), of ``words`` words or so.

    The body grows paragraph by paragraph until it reaches a length drawn from ``words``.
    """
    rng = random.Random(f"{seed}:{index}:{lang}")
    published = date(2023, 1, 1) + timedelta(days=rng.randint(0, 3 * 365))
    slots = _Caps(_slots(rng, lang, published))
    kind = "neutral" if rng.random() < NEUTRAL_SHARE else rng.choice(EVENT_TYPES)
    en = lang == "en"
    if kind == "neutral":
        lead = rng.choice(NEUTRAL_LEADS_EN if en else NEUTRAL_LEADS_ES)
        pool = list(NEUTRAL_BODY_EN if en else NEUTRAL_BODY_ES)
    else:
        lead = rng.choice((LEADS_EN if en else LEADS_ES)[kind])
        pool = list(BODY_EN if en else BODY_ES)
    title = (HEADLINES_EN if en else HEADLINES_ES)[kind].format_map(slots)
    clutter = CLUTTER_EN if en else CLUTTER_ES
    rng.shuffle(pool)
    target = rng.randint(*words)
    paragraphs = [lead.format_map(slots)]
    # Neutral pools are short: their paragraphs may repeat with other slot values (a longer story).
    while _words("\n\n".join(paragraphs)) < target:
        if not pool:
            pool = list(NEUTRAL_BODY_EN if en else NEUTRAL_BODY_ES) if kind == "neutral" else list(
                BODY_EN if en else BODY_ES)
            rng.shuffle(pool)
            slots = _Caps(_slots(rng, lang, published) | {k: slots[k] for k in ("city", "region", "country", "org")})
        paragraph = pool.pop().format_map(slots)
        # Sometimes two body paragraphs run together, sometimes one is split: paragraph lengths vary.
        if rng.random() < 0.2 and len(paragraphs) > 1:
            paragraphs[-1] += " " + paragraph
        else:
            paragraphs.append(paragraph)
    body = _with_clutter(paragraphs, clutter, slots, rng, en)
    if not en:  # "a el Cártel" -> "al Cártel", "de el" -> "del"
        body = re.sub(r"\b([Aa]|[Dd]e) el\b", lambda m: m[1] + "l", body)
    outlet, domain = rng.choice(OUTLETS)
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]
    art_id = f"{lang}-{seed}-{index:06d}"
    return Generated(art_id, lang, kind, title, body, published, f"https://{domain}/{published:%Y/%m}/{slug}-{index}",
                     outlet)


def _with_clutter(paragraphs: list[str], clutter: list[str], slots: _Caps, rng: random.Random, en: bool) -> str:
    """The body with clutter lines among the paragraphs, a byline first and a related list last."""
    out: list[str] = []
    if rng.random() < 0.5:
        out.append((clutter[7] if en else clutter[6]).format_map(slots))
    for i, p in enumerate(paragraphs):
        out.append(p)
        if i and rng.random() < 0.18:
            out.append(rng.choice(clutter).format_map(slots))
    if rng.random() < 0.4:
        headlines = list((HEADLINES_EN if en else HEADLINES_ES).values())
        items = [h.format_map(_Caps(dict(slots) | {"city": slots["city2"]})) for h in rng.sample(headlines, 3)]
        out.append((RELATED_EN if en else RELATED_ES) + "\n" + "\n".join(items))
    return "\n\n".join(out)


def generate(
    n: int, seed: int = 0, langs: tuple[str, ...] = ("en", "es"), words: tuple[int, int] = (400, 600)
) -> Iterator[Generated]:
    """``n`` articles, languages alternating (deterministic for ``seed``)."""
    for i in range(n):
        yield generate_article(i, seed, langs[i % len(langs)], words)


# --------------------------------------------------------------------------- HTML pages

_NAV = ["Home", "World", "Politics", "Business", "Sports", "Culture", "Opinion", "Video", "Podcasts"]
_NAV_ES = ["Inicio", "Mundo", "Política", "Economía", "Deportes", "Cultura", "Opinión", "Video"]


def to_html(article: Generated, seed: int = 0) -> str:
    """A news page for ``article`` with realistic boilerplate: head metadata, menus, sidebar,
    related links, cookie banner, comments form and footer around the article body."""
    rng = random.Random(f"html:{seed}:{article.id}")
    en = article.lang == "en"
    nav = "".join(f'<li><a href="/{w.lower()}">{w}</a></li>' for w in (_NAV if en else _NAV_ES))
    paras = "\n".join(
        f"<p>{html.escape(p)}</p>" if "\n" not in p else "<p>" + "<br>".join(map(html.escape, p.split("\n"))) + "</p>"
        for p in article.text.split("\n\n")
    )
    side = "".join(
        f'<li><a href="/story/{rng.randint(1000, 99999)}">{html.escape(h)}</a></li>'
        for h in (f"{w} {rng.randint(1, 99)}" for w in rng.sample(_NAV + _NAV_ES, 6))
    )
    ads = '<div class="ad-slot" id="ad-{0}"><script>window.ads=window.ads||[];ads.push({0});</script></div>'
    cookie = ("We use cookies to improve your experience. By continuing you accept our policy." if en
              else "Usamos cookies para mejorar su experiencia. Al continuar acepta nuestra política.")
    title = html.escape(article.title)
    stamp = f"{rng.randint(6, 22):02d}:{rng.randint(0, 59):02d}:00-05:00"
    ld_json = json.dumps(
        {"@type": "NewsArticle", "headline": article.title, "datePublished": article.published.isoformat()}
    )
    return f"""<!DOCTYPE html>
<html lang="{article.lang}">
<head>
<meta charset="utf-8">
<title>{title} | {html.escape(article.outlet)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:title" content="{title}">
<meta property="og:url" content="{article.url}">
<meta property="og:site_name" content="{html.escape(article.outlet)}">
<meta property="article:published_time" content="{article.published.isoformat()}T{stamp}">
<link rel="canonical" href="{article.url}">
<link rel="stylesheet" href="/static/site.{rng.randint(100, 999)}.css">
<script type="application/ld+json">{ld_json}</script>
<script>var analytics = {{site: "{article.outlet}", section: "news"}};</script>
</head>
<body>
<div id="cookie-banner"><p>{cookie}</p><button>OK</button></div>
<header class="site-header"><a class="logo" href="/">{html.escape(article.outlet)}</a>
<nav class="main-nav"><ul>{nav}</ul></nav>
<form class="search" action="/search"><input name="q" placeholder="Search"></form></header>
{ads.format(1)}
<main>
<article class="story">
<h1 class="headline">{title}</h1>
<div class="meta"><time datetime="{article.published.isoformat()}">{article.published.isoformat()}</time>
<span class="share"><a href="#">Facebook</a> <a href="#">X</a> <a href="#">WhatsApp</a></span></div>
<figure><img src="/img/{rng.randint(10000, 99999)}.jpg" alt="">
<figcaption>{html.escape(rng.choice(WIRES))}</figcaption></figure>
<div class="story-body">
{paras}
</div>
</article>
<aside class="sidebar"><h3>{"Most read" if en else "Lo más leído"}</h3><ul>{side}</ul>{ads.format(2)}</aside>
<section class="comments"><h3>{"Comments" if en else "Comentarios"}</h3>
<form><textarea name="c"></textarea><button>{"Post" if en else "Publicar"}</button></form></section>
</main>
<footer><ul><li><a href="/about">About us</a></li><li><a href="/privacy">Privacy</a></li>
<li><a href="/terms">Terms</a></li><li><a href="/contact">Contact</a></li></ul>
<p>© {article.published.year} {html.escape(article.outlet)}. All rights reserved.</p></footer>
<script src="/static/app.{rng.randint(100, 999)}.js"></script>
</body>
</html>
"""


# --------------------------------------------------------------------------- writing files


def write_jsonl(
    path: str | Path,
    n: int,
    seed: int = 0,
    *,
    declare_lang: bool = False,
    langs: tuple[str, ...] = ("en", "es"),
    words: tuple[int, int] = (400, 600),
) -> Path:
    """Write ``n`` generated articles as JSON Lines (streamed: any ``n`` fits in memory)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    with p.open("w", encoding="utf-8") as f:
        for art in generate(n, seed, langs, words):
            f.write(json.dumps(art.record(declare_lang=declare_lang), ensure_ascii=False) + "\n")
    return p


def write_texts(folder: str | Path, n: int, seed: int = 0) -> Path:
    """Write ``n`` generated articles as ``.txt`` files (``date YYYY-MM-DD`` marker, then the body)."""
    d = Path(folder)
    d.mkdir(parents=True, exist_ok=True)
    for art in generate(n, seed):
        (d / f"{art.id}.txt").write_text(f"date {art.published.isoformat()}\n{art.text}\n", encoding="utf-8")
    return d


def write_html(folder: str | Path, n: int, seed: int = 0) -> Path:
    """Write ``n`` generated articles as ``.html`` pages with boilerplate."""
    d = Path(folder)
    d.mkdir(parents=True, exist_ok=True)
    for art in generate(n, seed):
        (d / f"{art.id}.html").write_text(to_html(art, seed), encoding="utf-8")
    return d


def main() -> None:
    """Command line: write a generated corpus."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=600, help="number of articles (default 600)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--format", choices=("jsonl", "txt", "html"), default="jsonl")
    parser.add_argument("--out", required=True, help="a .jsonl file, or a folder for txt/html")
    args = parser.parse_args()
    writer = {"jsonl": write_jsonl, "txt": write_texts, "html": write_html}[args.format]
    print(writer(args.out, args.n, args.seed))


if __name__ == "__main__":
    main()
