#!/usr/bin/env python3
"""Generates a deterministic synthetic corpus of bilingual (Spanish/English) OGP documents.

The documents imitate the bundled corpus/ (action plans, self-assessments, IRM reports,
web pages converted to text): a title block, a running page header repeated every ~40
lines, section headings, numbered paragraphs in Spanish and English, bullet lists,
commitment sheets naming agencies, and a manifest.json covering part of the files.

Text comes from sentence templates filled from word lists with Zipf-like weights, plus a
long tail of generated proper names (municipalities, programmes, surnames) and numbers, so
the vocabulary looks like a real corpus (few very frequent words, many rare ones).

Same seed and options -> byte-identical files (random.Random(seed), no dict/set order,
no clock). Python 3 standard library only.

Usage:
  bench/generate_corpus.py --out /tmp/lupa-corpus [--size-mb 55] [--seed 20240917]
  bench/generate_corpus.py --out DIR --digest    # also print a SHA-256 over every file
"""
from __future__ import annotations

import argparse
import bisect
import hashlib
import itertools
import json
import os
import random
import re
import string
import sys

# ----------------------------------------------------------------------------------------
# Reference data (plan ids and types must exist in analyzers/data/*.tsv)

PLANS = [
    # id, country, first year, last year, number
    ("mx-2011-2013", "mx", 2011, 2013, 1),
    ("mx-2013-2015", "mx", 2013, 2015, 2),
    ("mx-2016-2018", "mx", 2016, 2018, 3),
    ("mx-2019-2021", "mx", 2019, 2021, 4),
    ("cl-2014-2016", "cl", 2014, 2016, 2),
    ("co-2015-2017", "co", 2015, 2017, 2),
]
PLAN_WEIGHTS = [14, 16, 18, 20, 16, 16]

TYPES = ["action-plan", "self-assessment", "irm-report", "ogp-web-page", "other-report"]
TYPE_WEIGHTS = [40, 20, 22, 6, 12]

COUNTRY = {
    "mx": ("México", "Mexico", ["Ciudad de México", "Nueva York", "Oaxaca", "Guadalajara"]),
    "cl": ("Chile", "Chile", ["Santiago de Chile", "Valparaíso", "Concepción"]),
    "co": ("Colombia", "Colombia", ["Bogotá D.C.", "Medellín", "Cali"]),
}

MONTHS_ES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
             "septiembre", "octubre", "noviembre", "diciembre"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]

# (Spanish name, English name, acronym) per country.
AGENCIES = {
    "mx": [
        ("Secretaría de la Función Pública", "Ministry of Public Administration", "SFP"),
        ("Secretaría de Hacienda y Crédito Público", "Ministry of Finance", "SHCP"),
        ("Instituto Nacional de Transparencia, Acceso a la Información y Protección de Datos Personales",
         "National Institute for Transparency, Access to Information and Personal Data Protection", "INAI"),
        ("Secretaría de Gobernación", "Ministry of the Interior", "SEGOB"),
        ("Secretaría de Salud", "Ministry of Health", "SSA"),
        ("Secretaría de Economía", "Ministry of Economy", "SE"),
        ("Secretaría de Medio Ambiente y Recursos Naturales", "Ministry of Environment and Natural Resources", "SEMARNAT"),
        ("Comisión Nacional del Agua", "National Water Commission", "CONAGUA"),
        ("Instituto Nacional de Estadística y Geografía", "National Institute of Statistics and Geography", "INEGI"),
        ("Auditoría Superior de la Federación", "Superior Audit Office", "ASF"),
        ("Coordinación de Estrategia Digital Nacional", "National Digital Strategy Office", "CEDN"),
        ("Secretaría de Educación Pública", "Ministry of Public Education", "SEP"),
        ("Petróleos Mexicanos", "Mexican Petroleum", "PEMEX"),
        ("Comisión Federal de Electricidad", "Federal Electricity Commission", "CFE"),
        ("Secretaría de Energía", "Ministry of Energy", "SENER"),
        ("Oficina de la Presidencia de la República", "Office of the President", "OPR"),
    ],
    "cl": [
        ("Ministerio Secretaría General de la Presidencia", "Ministry General Secretariat of the Presidency", "SEGPRES"),
        ("Consejo para la Transparencia", "Council for Transparency", "CPLT"),
        ("Contraloría General de la República", "Comptroller General of the Republic", "CGR"),
        ("Dirección de Compras y Contratación Pública", "Public Procurement Directorate", "ChileCompra"),
        ("Ministerio de Hacienda", "Ministry of Finance", "DIPRES"),
        ("Ministerio de Energía", "Ministry of Energy", "MINENERGIA"),
        ("Ministerio de Salud", "Ministry of Health", "MINSAL"),
        ("Ministerio del Medio Ambiente", "Ministry of the Environment", "MMA"),
        ("Servicio Nacional del Consumidor", "National Consumer Service", "SERNAC"),
        ("Laboratorio de Gobierno", "Government Lab", "LabGob"),
    ],
    "co": [
        ("Secretaría de Transparencia de la Presidencia de la República", "Transparency Secretariat of the Presidency", "ST"),
        ("Departamento Nacional de Planeación", "National Planning Department", "DNP"),
        ("Ministerio de Tecnologías de la Información y las Comunicaciones", "Ministry of Information and Communications Technologies", "MinTIC"),
        ("Agencia Nacional de Contratación Pública Colombia Compra Eficiente", "National Public Procurement Agency", "CCE"),
        ("Procuraduría General de la Nación", "Office of the Inspector General", "PGN"),
        ("Contraloría General de la República", "Office of the Comptroller General", "CGR"),
        ("Departamento Administrativo Nacional de Estadística", "National Statistics Department", "DANE"),
        ("Departamento Administrativo de la Función Pública", "Administrative Department of Public Service", "DAFP"),
        ("Ministerio de Hacienda y Crédito Público", "Ministry of Finance and Public Credit", "MHCP"),
        ("Ministerio de Ambiente y Desarrollo Sostenible", "Ministry of Environment and Sustainable Development", "MADS"),
    ],
}

CSOS = [
    ("Fundar, Centro de Análisis e Investigación", "Fundar, Centre for Analysis and Research"),
    ("Transparencia Mexicana", "Transparencia Mexicana"),
    ("Artículo 19", "Article 19"),
    ("GESOC, Gestión Social y Cooperación", "GESOC"),
    ("Instituto Mexicano para la Competitividad (IMCO)", "Mexican Institute for Competitiveness (IMCO)"),
    ("SocialTIC", "SocialTIC"),
    ("Cultura Ecológica", "Cultura Ecológica"),
    ("Equis Justicia para las Mujeres", "Equis Justice for Women"),
    ("Chile Transparente", "Chile Transparente"),
    ("Fundación Ciudadano Inteligente", "Smart Citizen Foundation"),
    ("Transparencia por Colombia", "Transparency for Colombia"),
    ("Corporación Somos Más", "Corporación Somos Más"),
]

def words(text: str) -> list[str]:
    """Splits a '|'-separated list written over several lines."""
    return [item.strip() for item in text.split("|") if item.strip()]


# ----------------------------------------------------------------------------------------
# Vocabulary. Order does not matter: Zipf ranks are assigned after a seeded shuffle.

ES_NP = words("""la transparencia|el acceso a la información|la rendición de cuentas|la participación ciudadana|
los datos abiertos|el gobierno abierto|la corrupción|el presupuesto público|la transparencia presupuestaria|
las contrataciones abiertas|las compras públicas|el gasto público|la integridad pública|los servicios públicos|
la sociedad civil|las organizaciones de la sociedad civil|la ciudadanía|los servidores públicos|
el portal de transparencia|la plataforma digital|el sistema de información|los registros administrativos|
la información presupuestaria|los beneficiarios finales|las industrias extractivas|el sector energético|
los recursos naturales|el medio ambiente|el cambio climático|la calidad del agua|los bosques|la pesca|
la salud pública|los medicamentos|la educación básica|las escuelas|los hospitales|la seguridad ciudadana|
la justicia|el sistema de justicia penal|las víctimas|los derechos humanos|las personas desaparecidas|
la igualdad de género|las mujeres|los pueblos indígenas|las comunidades rurales|los jóvenes|
las personas con discapacidad|la infraestructura|la obra pública|los proyectos de inversión|
las asociaciones público-privadas|los fideicomisos|los subsidios|los programas sociales|el padrón de beneficiarios|
la política fiscal|los ingresos públicos|la deuda pública|las finanzas públicas|la auditoría|la fiscalización|
los órganos internos de control|las declaraciones patrimoniales|el conflicto de interés|el cabildeo|
la ética pública|la mejora regulatoria|los trámites|la ventanilla única|la firma electrónica|
la interoperabilidad|los estándares abiertos|la protección de datos personales|los archivos|la gestión documental|
el derecho a saber|las solicitudes de información|los recursos de revisión|el órgano garante|
el mecanismo de seguimiento|el secretariado técnico tripartito|el comité coordinador|la hoja de ruta|
los indicadores de desempeño|las metas|los entregables|el calendario de actividades|la evaluación|
el informe de avance|la consulta pública|las mesas de trabajo|los talleres|los foros regionales|
la estrategia nacional|el plan de acción|los compromisos|el cumplimiento|el nivel de ambición|
el impacto potencial|la especificidad|la relevancia|la cocreación|el diálogo|la confianza|
el municipio|los gobiernos locales|las entidades federativas|el congreso|el poder judicial|
el parlamento abierto|la justicia abierta|las empresas productivas del estado|el sector privado|
las licencias|las concesiones|los contratos|las licitaciones|los proveedores|los precios de referencia""")

ES_ADJ = words("""abierto|público|nacional|federal|local|municipal|transparente|accesible|
oportuno|verificable|ciudadano|institucional|presupuestario|digital|electrónico|interoperable|
sostenible|eficiente|eficaz|incluyente|participativo|integral|estratégico|prioritario|efectivo|
independiente|regional|estatal|comunitario|ambiental|social|económico|financiero|fiscal|
administrativo|normativo|técnico|operativo|anual|trimestral|reutilizable|estructurado|geográfico|
desagregado|confiable|homologado|comparable|obligatorio|voluntario|significativo|limitado|
sustancial|excepcional|pendiente|completo|sustantivo|marginal|moderado|transformador""")  # masculine singular

ES_VERB3 = words("""fortalecerá|publicará|implementará|desarrollará|promoverá|garantizará|impulsará|
establecerá|creará|diseñará|consolidará|ampliará|mejorará|facilitará|coordinará|evaluará|
integrará|difundirá|actualizará|incorporará|vinculará|homologará|capacitará|documentará|
presentará|reportó|publicó|implementó|desarrolló|promovió|estableció|creó|diseñó|consolidó|
amplió|mejoró|facilitó|coordinó|evaluó|integró|difundió|actualizó|incorporó|presentó|
fortalece|publica|implementa|desarrolla|promueve|garantiza|impulsa|establece|crea|diseña|
consolida|amplía|mejora|facilita|coordina|evalúa|integra|difunde|actualiza|incorpora""")

ES_VINF = words("""fortalecer|publicar|implementar|desarrollar|promover|garantizar|impulsar|establecer|
crear|diseñar|consolidar|ampliar|mejorar|facilitar|coordinar|evaluar|integrar|difundir|
actualizar|incorporar|vincular|homologar|transparentar|reducir|prevenir|combatir|sancionar|
monitorear|dar seguimiento a|rendir cuentas sobre|abrir|reutilizar|simplificar|digitalizar""")

ES_CONNECT = words("""Asimismo,|Además,|Por otra parte,|En este sentido,|Por lo tanto,|Sin embargo,|
De igual forma,|En consecuencia,|Adicionalmente,|En particular,|Por último,|Cabe señalar que|
De acuerdo con el investigador del MRI,|Según la información proporcionada,|En la práctica,""")

EN_NP = words("""transparency|access to information|accountability|citizen participation|open data|
open government|corruption|the public budget|budget transparency|open contracting|public procurement|
public spending|public integrity|public services|civil society|civil society organisations|citizens|
public servants|the transparency portal|the digital platform|the information system|administrative records|
budget information|beneficial ownership|extractive industries|the energy sector|natural resources|
the environment|climate change|water quality|forests|fisheries|public health|medicines|basic education|
schools|hospitals|citizen security|justice|the criminal justice system|victims|human rights|
disappeared persons|gender equality|women|indigenous peoples|rural communities|young people|
persons with disabilities|infrastructure|public works|investment projects|public-private partnerships|
trust funds|subsidies|social programmes|the beneficiary registry|fiscal policy|public revenue|public debt|
public finances|auditing|oversight|internal control bodies|asset declarations|conflict of interest|
lobbying|public ethics|regulatory improvement|procedures|the single window|electronic signature|
interoperability|open standards|personal data protection|archives|records management|the right to know|
information requests|appeals|the oversight body|the monitoring mechanism|the tripartite technical secretariat|
the coordinating committee|the roadmap|performance indicators|targets|deliverables|the timeline|
evaluation|the progress report|the public consultation|working groups|workshops|regional forums|
the national strategy|the action plan|the commitments|completion|the level of ambition|potential impact|
specificity|relevance|co-creation|dialogue|trust|municipalities|local governments|the states|congress|
the judiciary|open parliament|open justice|state-owned enterprises|the private sector|licences|
concessions|contracts|tenders|suppliers|reference prices""")

EN_ADJ = words("""open|public|national|federal|local|municipal|transparent|accessible|timely|verifiable|
citizen-led|institutional|budgetary|digital|electronic|interoperable|sustainable|efficient|effective|
inclusive|participatory|comprehensive|strategic|priority|independent|regional|state-level|community|
environmental|social|economic|financial|fiscal|administrative|regulatory|technical|operational|
annual|quarterly|reusable|structured|geographic|disaggregated|reliable|harmonised|comparable|
mandatory|voluntary|significant|limited|substantial|outstanding|pending|complete|marginal|
moderate|transformative""")

EN_VERB3 = words("""will strengthen|will publish|will implement|will develop|will promote|will guarantee|
will establish|will create|will design|will consolidate|will expand|will improve|will facilitate|
will coordinate|will evaluate|will integrate|will disseminate|will update|will incorporate|
will link|will standardise|will train|will document|will present|reported|published|implemented|
developed|promoted|established|created|designed|consolidated|expanded|improved|facilitated|
coordinated|evaluated|integrated|disseminated|updated|incorporated|presented|strengthens|publishes|
implements|develops|promotes|guarantees|establishes|creates|designs|expands|improves|facilitates|
coordinates|evaluates|integrates|updates""")

EN_VINF = words("""strengthen|publish|implement|develop|promote|guarantee|establish|create|design|
consolidate|expand|improve|facilitate|coordinate|evaluate|integrate|disseminate|update|incorporate|
link|standardise|open up|reduce|prevent|fight|sanction|monitor|follow up on|report on|reuse|
simplify|digitise""")

EN_CONNECT = words("""In addition,|Furthermore,|Moreover,|In this regard,|Therefore,|However,|Similarly,|
As a result,|In particular,|Finally,|It should be noted that|According to the IRM researcher,|
According to the information provided,|In practice,|During the implementation period,""")

ES_TEMPLATES = [
    "{AG} {V3} {NP} {ADJ} con el fin de {VINF} {NP2}.",
    "{CON} {AG} {V3} {NP} y {NP2} en {NUM} {PLACE_KIND}.",
    "Este compromiso busca {VINF} {NP} mediante {NP2} {ADJ2}, en colaboración con {CSO}.",
    "Durante {YEAR}, se publicaron {NUM} conjuntos de datos sobre {NP} en el portal {URL}.",
    "El objetivo es {VINF} {NP} {ADJ} y {VINF2} {NP2} en el municipio de {TOWN}.",
    "{CON} {NPS} {ADJS} permitirá {VINF} {NP2} de manera {ADJF}.",
    "La {AG_ROLE} de {AG} {V3} un informe sobre {NP} que incluye {NUM} indicadores.",
    "Según {PERSON}, {NPS} {ADJS} es un elemento clave para {VINF} {NP2}.",
    "Se asignaron {MONEY} millones de pesos al programa {PROGRAM} para {VINF} {NP}.",
    "{NPS} registró un avance del {PCT}% al cierre de {MONTH_ES} de {YEAR}.",
    "Con la participación de {CSO}, se realizaron {NUM} mesas de trabajo sobre {NP} en {TOWN}.",
    "El nivel de cumplimiento del compromiso es {LEVEL_ES} y su impacto potencial es {IMPACT_ES}.",
    "La ciudadanía podrá consultar {NP} {ADJ} a través de {NP2}.",
    "{AG}, junto con {AG2}, {V3} {NP} para {VINF} {NP2} {ADJ2}.",
    "En {YEAR} se recibieron {NUM} solicitudes de información relacionadas con {NP}.",
    "Los resultados muestran que {NPS} {ADJS} aumentó un {PCT}% respecto de {YEAR}.",
    "Para {YEAR}, {AG} deberá contar con {NP} {ADJ} en al menos {NUM} {PLACE_KIND}.",
    "Las organizaciones señalaron que {NPS} {ADJS} requiere un mayor compromiso político.",
    "La información estará disponible en formato abierto en {URL} a partir de {MONTH_ES} de {YEAR}.",
    "El investigador del MRI recomienda {VINF} {NP} y {VINF2} {NP2} {ADJ2} en el próximo plan de acción.",
]

EN_TEMPLATES = [
    "The {AG_EN} {V3} {NP} in order to {VINF} {NP2}.",
    "{CON} the {AG_EN} {V3} {NP} and {NP2} in {NUM} {PLACE_KIND_EN}.",
    "This commitment seeks to {VINF} {NP} through {ANP2}, in collaboration with {CSO_EN}.",
    "During {YEAR}, {NUM} datasets on {NP} were published on the {URL} portal.",
    "The goal is to {VINF} {ANP} and to {VINF2} {NP2} in the municipality of {TOWN}.",
    "{CON} {ANP} will make it possible to {VINF} {NP2} in a {ADJ} manner.",
    "The {AG_ROLE_EN} of the {AG_EN} {V3} a report on {NP} that includes {NUM} indicators.",
    "According to {PERSON}, {ANP} is a key element to {VINF} {NP2}.",
    "A budget of {MONEY} million pesos was allocated to the {PROGRAM} programme to {VINF} {NP}.",
    "Progress on {NP} reached {PCT}% at the end of {MONTH_EN} {YEAR}.",
    "With the participation of {CSO_EN}, {NUM} working groups on {NP} were held in {TOWN}.",
    "The commitment's level of completion is {LEVEL_EN} and its potential impact is {IMPACT_EN}.",
    "Citizens will be able to consult {ANP} through {NP2}.",
    "The {AG_EN}, together with the {AG_EN2}, {V3} {NP} to {VINF} {ANP2}.",
    "In {YEAR}, {NUM} information requests related to {NP} were received.",
    "The results show that {ANP} increased by {PCT}% compared with {YEAR}.",
    "By {YEAR}, the {AG_EN} must have {ANP} in at least {NUM} {PLACE_KIND_EN}.",
    "Civil society organisations noted that {ANP} requires greater political commitment.",
    "The information will be available in open format at {URL} from {MONTH_EN} {YEAR}.",
    "The IRM researcher recommends to {VINF} {NP} and to {VINF2} {ANP2} in the next action plan.",
]
TEMPLATE_FIELDS = {t: sorted({f for _, f, _, _ in string.Formatter().parse(t) if f})
                   for t in ES_TEMPLATES + EN_TEMPLATES}

ES_HEADINGS = words("""Introducción|Antecedentes|Contexto nacional|Proceso de consulta|Metodología|
Esfuerzos realizados hasta ahora|Compromisos|Mejora de los servicios públicos|Aumentar la integridad pública|
Administración más efectiva de los recursos públicos|Rendición de cuentas corporativa|
Seguimiento y evaluación|Resultados|Conclusiones|Recomendaciones|Lecciones aprendidas|
Participación de la sociedad civil|Transparencia presupuestaria|Datos abiertos para el desarrollo|
Combate a la corrupción|Gobierno abierto en lo local|Anexo metodológico""")

EN_HEADINGS = words("""Introduction|Background|National context|Consultation process|Methodology|
Efforts to date|Commitments|Improving public services|Increasing public integrity|
More effective management of public resources|Corporate accountability|Monitoring and evaluation|
Results|Conclusions|Recommendations|Lessons learned|Civil society participation|Budget transparency|
Open data for development|Fighting corruption|Local open government|Methodological annex""")

ES_THEMES = words("""Datos abiertos para el desarrollo sostenible|Transparencia en el gasto público|
Contrataciones abiertas en obra pública|Registro de beneficiarios finales|Gasto transparente en salud|
Agua y bosques: transparencia ambiental|Justicia abierta y víctimas|Fortalecimiento de los archivos públicos|
Parlamento abierto|Igualdad de género y presupuestos|Transparencia en industrias extractivas|
Control ciudadano de programas sociales|Plataforma nacional de transparencia|Declaraciones patrimoniales abiertas|
Mejora regulatoria y trámites en línea|Educación de calidad con datos abiertos|Presupuesto participativo local|
Seguridad ciudadana con información pública""")

EN_THEMES = words("""Open data for sustainable development|Transparency in public spending|
Open contracting in public works|Beneficial ownership registry|Transparent health spending|
Water and forests: environmental transparency|Open justice and victims|Strengthening public archives|
Open parliament|Gender equality and budgets|Transparency in extractive industries|
Citizen oversight of social programmes|National transparency platform|Open asset declarations|
Regulatory improvement and online procedures|Quality education with open data|Local participatory budgeting|
Citizen security with public information""")

LEVELS = [("limitado", "limited"), ("sustancial", "substantial"), ("completo", "complete"),
          ("no iniciado", "not started")]
IMPACTS = [("menor", "minor"), ("moderado", "moderate"), ("transformador", "transformative"),
           ("ninguno", "none")]

SYLLABLES = """ta la co ma te pe xi hua tlan zin ca mi san ro que mo li na cha po gua ya te
pan jal tzi tl ri ve so lo ne cu ba do ga ju ta pi mar ton al ci cuau ya hue""".split()
FIRST_NAMES = """María José Juan Ana Luis Carmen Carlos Laura Jorge Patricia Miguel Elena Pedro
Sofía Javier Lucía Andrés Gabriela Ricardo Daniela Fernando Mónica Alejandro Teresa Eduardo
Valeria Héctor Adriana Roberto Isabel""".split()


MASCULINE = ("Instituto", "Departamento", "Ministerio", "Consejo", "Servicio", "Laboratorio")


def spanish_article(agency_name: str) -> str:
    if agency_name.startswith("Petróleos"):
        return ""
    return "el " if agency_name.startswith(MASCULINE) else "la "


A_BEFORE_VOWEL = re.compile(r"(^|\s)a ([aeiouAEIOU])")


def inflect(adjective: str, feminine: bool, plural: bool) -> str:
    """Spanish adjective agreement from the masculine singular form."""
    word = adjective
    if feminine:
        if word.endswith("o"):
            word = word[:-1] + "a"
        elif word.endswith("or"):
            word += "a"
    if plural:
        if word.endswith("z"):
            word = word[:-1] + "ces"
        elif word[-1] in "aeiouáéíóú":
            word += "s"
        else:
            word += "es"
    return word


def np_gender_number(noun_phrase: str) -> tuple[bool, bool]:
    article = noun_phrase.split(" ", 1)[0]
    return article in ("la", "las"), article in ("los", "las")


def zipf_table(rng: random.Random, items, exponent: float):
    """A (items, cumulative weights) pair with Zipf weights on a seeded random ranking."""
    items = [item.strip() for item in items if item.strip()]
    rng.shuffle(items)
    cumulative = list(itertools.accumulate(1.0 / (rank + 1) ** exponent for rank in range(len(items))))
    return items, cumulative


class Vocabulary:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.tables = {}
        for name, items in [("ES_NP", ES_NP), ("ES_ADJ", ES_ADJ), ("ES_V3", ES_VERB3),
                            ("ES_VINF", ES_VINF), ("ES_CON", ES_CONNECT), ("EN_NP", EN_NP),
                            ("EN_ADJ", EN_ADJ), ("EN_V3", EN_VERB3), ("EN_VINF", EN_VINF),
                            ("EN_CON", EN_CONNECT)]:
            self.tables[name] = zipf_table(rng, items, 0.8)
        # The long tail: thousands of generated place names, surnames and programmes.
        towns = sorted({self._name(2, 4) for _ in range(6000)})
        prefixes = ["San ", "Santa ", "Villa ", "", "", "", "Heroica ", "Santiago "]
        towns = [rng.choice(prefixes) + town for town in towns]
        self.tables["TOWN"] = zipf_table(rng, towns, 0.9)
        surnames = sorted({self._name(2, 3) + rng.choice(["", "ez", "es", "ado", "ero", "ino"])
                           for _ in range(4000)})
        self.tables["SURNAME"] = zipf_table(rng, surnames, 0.9)
        programs = sorted({self._name(2, 3).upper() if rng.random() < 0.3 else
                           "Programa " + self._name(2, 3) for _ in range(1500)})
        self.tables["PROGRAM"] = zipf_table(rng, programs, 0.9)

    def _name(self, low, high):
        return "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(low, high))).capitalize()

    def pick(self, table):
        items, cumulative = self.tables[table]
        return items[bisect.bisect(cumulative, self.rng.random() * cumulative[-1])]


class Document:
    """Writes one document; all randomness comes from `rng`."""

    def __init__(self, rng: random.Random, vocab: Vocabulary, index: int, target_bytes: int):
        self.rng, self.vocab, self.index, self.target = rng, vocab, index, target_bytes
        plan = rng.choices(PLANS, PLAN_WEIGHTS)[0]
        self.plan_id, self.country, first, last, self.plan_number = plan
        self.type = rng.choices(TYPES, TYPE_WEIGHTS)[0]
        mode = rng.random()
        self.languages = ["es"] if mode < 0.35 else ["en"] if mode < 0.60 else ["es", "en"]
        year = rng.randint(first - 1 if self.type == "action-plan" else first, last + 1)
        year = max(2011, min(2022, year))
        month = rng.randint(1, 12)
        self.date = f"{year}-{month:02d}" if rng.random() < 0.7 else f"{year}-{month:02d}-{rng.randint(1, 28):02d}"
        self.year, self.month = year, month
        self.first, self.last = first, last
        self.agencies = AGENCIES[self.country]
        name_es, name_en, cities = COUNTRY[self.country]
        self.city = rng.choice(cities)
        self.title_es, self.title_en = self._titles(name_es, name_en)
        self.paragraph_number = 0
        self.commitment_number = 0

    def _titles(self, name_es, name_en):
        p = f"{self.first}-{self.last}"
        n = self.plan_number
        return {
            "action-plan": (f"Plan de Acción de Gobierno Abierto de {name_es} {p}",
                            f"{name_en} Open Government National Action Plan {p}"),
            "self-assessment": (f"Informe de Autoevaluación del Plan de Acción {p} de {name_es}",
                                f"{name_en} Self-Assessment Report, Action Plan {p}"),
            "irm-report": (f"Mecanismo de Revisión Independiente (MRI): Informe de avance de {name_es} {p}",
                           f"Independent Reporting Mechanism (IRM): {name_en} Progress Report {p}"),
            "ogp-web-page": (f"{name_es} | Alianza para el Gobierno Abierto",
                             f"{name_en} | Open Government Partnership (member page, plan {n})"),
            "other-report": (f"Balance del Gobierno Abierto en {name_es} {p}",
                             f"Review of Open Government in {name_en} {p}"),
        }[self.type]

    @property
    def title(self):
        if self.languages == ["en"]:
            return self.title_en
        if self.languages == ["es"]:
            return self.title_es
        return f"{self.title_es} / {self.title_en}"

    # -- sentences ------------------------------------------------------------------------
    def _value(self, key: str, lang: str, values: dict) -> str:
        rng, v = self.rng, self.vocab
        L = "ES" if lang == "es" else "EN"
        if key in ("NP", "NP2"):
            return v.pick(f"{L}_NP")
        if key == "NPS":  # a singular subject
            for _ in range(8):
                np = v.pick("ES_NP")
                if np.startswith(("el ", "la ")):
                    return np
            return "la transparencia"
        if key in ("ADJ", "ADJ2", "ADJS"):
            adjective = v.pick(f"{L}_ADJ")
            if lang == "en":
                return adjective
            noun = values.get({"ADJ": "NP", "ADJ2": "NP2", "ADJS": "NPS"}[key], "la")
            return inflect(adjective, *np_gender_number(noun))
        if key == "ADJF":
            return inflect(v.pick("ES_ADJ"), True, False)
        if key in ("ANP", "ANP2"):
            np = v.pick("EN_NP")
            if np.startswith("the "):
                np = np[4:]
            return f"{v.pick('EN_ADJ')} {np}"
        if key == "V3":
            return v.pick(f"{L}_V3")
        if key in ("VINF", "VINF2"):
            return v.pick(f"{L}_VINF")
        if key == "CON":
            return v.pick(f"{L}_CON")
        if key in ("AG", "AG2"):
            agency = rng.choice(self.agencies)
            form = rng.random()
            article = spanish_article(agency[0])
            if form < 0.45:
                return f"{article}{agency[0]} ({agency[2]})"
            if form < 0.75:
                return f"{article}{agency[2]}"
            return f"{article}{agency[0]}"
        if key in ("AG_EN", "AG_EN2"):
            agency = rng.choice(self.agencies)
            return f"{agency[1]} ({agency[2]})" if rng.random() < 0.6 else agency[1]
        if key == "AG_ROLE":
            return rng.choice(["Unidad de Transparencia", "Dirección General", "Coordinación",
                               "Unidad de Gobierno Digital", "Oficialía Mayor"])
        if key == "AG_ROLE_EN":
            return rng.choice(["Transparency Unit", "General Directorate", "Coordination Office",
                               "Digital Government Unit", "Chief Administrative Office"])
        if key == "CSO":
            return rng.choice(CSOS)[0]
        if key == "CSO_EN":
            return rng.choice(CSOS)[1]
        if key == "NUM":
            return str(int(rng.paretovariate(1.2) * 3))
        if key == "YEAR":
            return str(rng.randint(self.first - 2, self.last + 1))
        if key == "MONEY":
            if rng.random() < 0.3:
                return f"{rng.randint(1, 999)},{rng.randint(0, 999):03d}"
            return str(rng.randint(2, 950))
        if key == "PCT":
            return str(rng.randint(5, 100))
        if key == "MONTH_ES":
            return rng.choice(MONTHS_ES)
        if key == "MONTH_EN":
            return rng.choice(MONTHS_EN)
        if key == "TOWN":
            return v.pick("TOWN")
        if key == "PROGRAM":
            return v.pick("PROGRAM")
        if key == "PERSON":
            return f"{rng.choice(FIRST_NAMES)} {v.pick('SURNAME')} {v.pick('SURNAME')}"
        if key == "URL":
            slug = rng.choice(self.agencies)[2].lower()
            return rng.choice([f"www.gob.mx/{slug}", "datos.gob.mx", f"www.{slug}.gob.{self.country}",
                               "transparenciapresupuestaria.gob.mx", "www.datos.gov.co",
                               "www.consejotransparencia.cl", "www.opengovpartnership.org"])
        if key == "PLACE_KIND":
            return rng.choice(["municipios", "entidades federativas", "dependencias", "comunidades",
                               "regiones", "instituciones"])
        if key == "PLACE_KIND_EN":
            return rng.choice(["municipalities", "states", "agencies", "communities", "regions",
                               "institutions"])
        if key in ("LEVEL_ES", "LEVEL_EN"):
            return rng.choice(LEVELS)[0 if key == "LEVEL_ES" else 1]
        if key in ("IMPACT_ES", "IMPACT_EN"):
            return rng.choice(IMPACTS)[0 if key == "IMPACT_ES" else 1]
        raise KeyError(key)

    def _fill(self, template: str, lang: str) -> str:
        values: dict[str, str] = {}
        # Noun phrases first: adjectives agree with them.
        for key in sorted(TEMPLATE_FIELDS[template], key=lambda k: not k.startswith("NP")):
            values[key] = self._value(key, lang, values)
        sentence = template.format(**values)
        if lang == "es":
            sentence = sentence.replace(" de el ", " del ").replace(" a el ", " al ")
        else:
            sentence = A_BEFORE_VOWEL.sub(r"\1an \2", sentence)
        return sentence[0].upper() + sentence[1:]

    def sentence(self, lang: str) -> str:
        templates = ES_TEMPLATES if lang == "es" else EN_TEMPLATES
        return self._fill(self.rng.choice(templates), lang)

    def paragraph(self, lang: str, low=2, high=7) -> str:
        return " ".join(self.sentence(lang) for _ in range(self.rng.randint(low, high)))

    # -- document structure ---------------------------------------------------------------
    def _date_text(self, lang):
        if lang == "es":
            return f"{MONTHS_ES[self.month - 1]} de {self.year}"
        return f"{MONTHS_EN[self.month - 1]} {self.year}"

    def body_blocks(self, lang: str, size: int):
        """(kind, text) blocks for one language, about `size` bytes."""
        rng = self.rng
        headings = ES_HEADINGS if lang == "es" else EN_HEADINGS
        themes = ES_THEMES if lang == "es" else EN_THEMES
        written = 0
        section = 0
        roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
        while written < size:
            heading = rng.choice(headings)
            if rng.random() < 0.5:
                heading = f"{roman[section % len(roman)]}. {heading}"
            if rng.random() < 0.2:
                heading = heading.upper()
            section += 1
            yield ("heading", heading)
            written += len(heading)
            for _ in range(rng.randint(4, 14)):
                roll = rng.random()
                if roll < 0.12:
                    # A commitment sheet.
                    self.commitment_number += 1
                    theme = rng.choice(themes)
                    agency = rng.choice(self.agencies)
                    if lang == "es":
                        yield ("heading", f"Compromiso {self.commitment_number}: {theme}")
                        fields = [f"Institución responsable: {agency[0]} ({agency[2]})",
                                  f"Fecha de inicio: {rng.choice(MONTHS_ES)} de {self.first}",
                                  f"Fecha de término: {rng.choice(MONTHS_ES)} de {self.last}",
                                  f"Organizaciones participantes: {rng.choice(CSOS)[0]}"]
                    else:
                        yield ("heading", f"Commitment {self.commitment_number}: {theme}")
                        fields = [f"Lead institution: {agency[1]} ({agency[2]})",
                                  f"Start date: {rng.choice(MONTHS_EN)} {self.first}",
                                  f"End date: {rng.choice(MONTHS_EN)} {self.last}",
                                  f"Participating organisations: {rng.choice(CSOS)[1]}"]
                    for field in fields:
                        yield ("field", field)
                        written += len(field)
                elif roll < 0.22:
                    intro = ("Las principales acciones son las siguientes:" if lang == "es"
                             else "The main actions are the following:")
                    yield ("text", intro)
                    for _ in range(rng.randint(3, 7)):
                        item = self.sentence(lang)
                        yield ("bullet", item)
                        written += len(item) + 2
                    yield ("end-list", "")
                else:
                    self.paragraph_number += 1
                    text = self.paragraph(lang)
                    numbered = self.type in ("action-plan", "self-assessment", "other-report") or rng.random() < 0.4
                    yield ("para", f"{self.paragraph_number}. {text}" if numbered else text)
                    written += len(text) + 6


def wrap(text: str, width: int):
    """Greedy wrap at spaces, like a PDF-to-text conversion."""
    lines, current, length = [], [], 0
    for word in text.split(" "):
        if current and length + 1 + len(word) > width:
            lines.append(" ".join(current))
            current, length = [word], len(word)
        else:
            current.append(word)
            length += len(word) + (1 if len(current) > 1 else 0)
    if current:
        lines.append(" ".join(current))
    return lines


def render_text(doc: Document, markdown: bool) -> str:
    rng = doc.rng
    langs = doc.languages
    hard_wrap = not markdown and rng.random() < 0.5
    form_feeds = not markdown and rng.random() < 0.25
    width = rng.randint(78, 100)
    header_lang = langs[0]
    header = [doc.title_es if header_lang == "es" else doc.title_en, doc.city if header_lang == "es" else
              COUNTRY[doc.country][1], doc._date_text(header_lang)]
    if rng.random() < 0.4:
        header = header[:2]

    # The body, as lines, before pagination.
    body: list[str] = []
    per_language = doc.target // len(langs)
    for lang in langs:
        if len(langs) > 1:
            body += ["", "VERSIÓN EN ESPAÑOL" if lang == "es" else "ENGLISH VERSION", ""]
        for kind, text in doc.body_blocks(lang, per_language):
            if kind == "heading":
                body += ["", f"## {text}" if markdown else text, ""]
            elif kind == "bullet":
                body.append(("- " if markdown or rng.random() < 0.6 else "• ") + text)
            elif kind == "end-list":
                body.append("")
            elif kind == "field":
                key, _, value = text.partition(": ")
                body.append(f"**{key}:** {value}" if markdown else text)
            else:
                if markdown and rng.random() < 0.3:
                    words = text.split(" ")
                    i = rng.randrange(len(words))
                    words[i] = f"**{words[i]}**"
                    text = " ".join(words)
                if hard_wrap:
                    body += wrap(text, width)
                else:
                    body.append(text)
                body.append("")

    # Title block, then pages of ~40 lines each starting with the running header.
    out: list[str] = []
    if markdown:
        out += [f"# {doc.title}", ""]
    else:
        out += ["", doc.title, "", doc.city, "", doc._date_text(langs[0]), ""]
    page_length = rng.randint(36, 44)
    line_in_page = 0
    for line in body:
        if line_in_page >= page_length:
            if form_feeds:
                out.append("\f" + header[0])
                out += header[1:]
            else:
                out.append("")
                for h in header:
                    out += [h, ""]
            line_in_page = 0
        out.append(line)
        line_in_page += 1
    return "\n".join(out) + "\n"


def html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_html(doc: Document) -> str:
    out = ["<!DOCTYPE html>", f'<html lang="{doc.languages[0]}">', "<head>", '<meta charset="utf-8">',
           f"<title>{html_escape(doc.title)}</title>",
           "<style>body { font-family: sans-serif; }</style>", "</head>", "<body>",
           '<nav><a href="/">Home</a> | <a href="/members/">Members</a></nav>',
           f"<h1>{html_escape(doc.title)}</h1>"]
    in_list = False
    per_language = doc.target // len(doc.languages)
    for lang in doc.languages:
        for kind, text in doc.body_blocks(lang, per_language):
            if kind == "end-list":
                continue
            if kind == "bullet":
                if not in_list:
                    out.append("<ul>")
                    in_list = True
                out.append(f"<li>{html_escape(text)}</li>")
                continue
            if in_list:
                out.append("</ul>")
                in_list = False
            if kind == "heading":
                out.append(f"<h2>{html_escape(text)}</h2>")
            elif kind == "field":
                key, _, value = text.partition(": ")
                out.append(f"<p><strong>{html_escape(key)}:</strong> {html_escape(value)}</p>")
            else:
                out.append(f"<p>{html_escape(text)}</p>")
    if in_list:
        out.append("</ul>")
    out += ["<script>window.analytics = [];</script>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


def generate(out_dir: str, size_mb: float, seed: int, min_kb: int, max_kb: int, manifest_share: float):
    rng = random.Random(seed)
    vocab = Vocabulary(random.Random(seed ^ 0x5EED))
    total_target = int(size_mb * 1_000_000)
    os.makedirs(out_dir, exist_ok=True)
    manifest = []
    total = 0
    index = 0
    names = []
    while total < total_target:
        index += 1
        target = rng.randint(min_kb * 1000, max_kb * 1000)
        doc = Document(random.Random(rng.getrandbits(64)), vocab, index, target)
        roll = doc.rng.random()
        extension = "html" if roll < 0.05 else "md" if roll < 0.17 else "txt"
        if extension == "html" and doc.type != "ogp-web-page" and doc.rng.random() < 0.5:
            doc.type = "ogp-web-page"
            doc.title_es, doc.title_en = doc._titles(*COUNTRY[doc.country][:2])
        lang_tag = "-".join(doc.languages)
        name = f"{doc.plan_id}-{doc.type}-{index:04d}-{lang_tag}.{extension}"
        if extension == "html":
            content = render_html(doc)
        else:
            content = render_text(doc, markdown=(extension == "md"))
        data = content.encode("utf-8")
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(data)
        names.append(name)
        total += len(data)
        if rng.random() < manifest_share:
            entry = {"file": name, "title": doc.title, "country": doc.country, "plans": [doc.plan_id],
                     "type": doc.type, "languages": doc.languages, "date": doc.date}
            if rng.random() < 0.5:
                entry["source"] = f"Synthetic benchmark document {index} (bench/generate_corpus.py, seed {seed})"
            manifest.append(entry)
    with open(os.path.join(out_dir, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump({"format": "lupa-manifest/1", "documents": manifest}, f, ensure_ascii=False, indent=2)
        f.write("\n")
    return names, total, len(manifest)


def digest(out_dir: str) -> str:
    h = hashlib.sha256()
    for name in sorted(os.listdir(out_dir)):
        h.update(name.encode() + b"\0")
        with open(os.path.join(out_dir, name), "rb") as f:
            h.update(f.read())
    return h.hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="folder to write (must be empty or missing)")
    parser.add_argument("--size-mb", type=float, default=55.0, help="total size to reach, MB (default 55)")
    parser.add_argument("--seed", type=int, default=20240917)
    parser.add_argument("--min-kb", type=int, default=60)
    parser.add_argument("--max-kb", type=int, default=150)
    parser.add_argument("--manifest-share", type=float, default=0.6,
                        help="share of files with a manifest entry (default 0.6)")
    parser.add_argument("--digest", action="store_true", help="print a SHA-256 over the written files")
    args = parser.parse_args()
    if os.path.isdir(args.out) and os.listdir(args.out):
        sys.exit(f"generate_corpus: {args.out} is not empty; give a new folder")
    names, total, entries = generate(args.out, args.size_mb, args.seed, args.min_kb, args.max_kb,
                                     args.manifest_share)
    print(f"generate_corpus: {len(names)} files, {total / 1e6:.1f} MB, {entries} manifest entries, "
          f"seed {args.seed} -> {args.out}")
    if args.digest:
        print(f"generate_corpus: sha256 {digest(args.out)}")


if __name__ == "__main__":
    main()
