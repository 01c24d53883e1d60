"""Write the bundled sample corpus, ``samples/news/``; :func:`expected` says what a build finds.

Run ``python samples/make_samples.py`` from anywhere: it rewrites every file byte for byte.
The files are the product (they are committed); this script documents how each one was made
and which trap it holds (see ``samples/README.md``).  Every outlet, place, person and event is
invented; domains use the reserved ``.example`` and ``.test`` top-level domains.

Not supported: options.  The output directory is always the ``news/`` folder beside this file,
and files the script no longer writes are not deleted.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path
from typing import Any

__all__ = ["ARTICLES", "FILES", "expected", "main"]

HERE = Path(__file__).resolve().parent

# name, domain, host: Harbor Times publishes on news.harbor.example under the domain harbor.example.
PROVIDERS = {
    "harbor": ("Harbor Times", "harbor.example", "news.harbor.example"),
    "northfield": (
        "Northfield Courier",
        "northfieldcourier.example",
        "www.northfieldcourier.example",
    ),
    "byteline": ("Byteline", "byteline.test", "byteline.test"),
    "ridgeline": ("Ridgeline Radio", "ridgeline.example", "www.ridgeline.example"),
    "coastal": ("Coastal Ledger", "coastalledger.example", "www.coastalledger.example"),
    "metro": ("Metro Pulse", "metropulse.test", "www.metropulse.test"),
    "orbit": ("Orbit Weekly", "orbitweekly.example", "orbitweekly.example"),
    "fieldnote": ("Fieldnote Video", "fieldnote.example", "video.fieldnote.example"),
}
LOGOS = {"harbor", "byteline", "fieldnote"}

AI, CLOUD, OPEN = "Artificial Intelligence", "Cloud Computing", "Open Source"
CLIMATE, TRANSPORT, HEALTH = "Climate", "Transport", "Public Health"
SPACE, ECONOMY, SPORTS, EDUCATION = "Space", "Economy", "Sports", "Education"

# id: provider, published (UTC), title, excerpt, topics.  Stories: A (bridge closure), B (speech
# model release), C (storm), D (marathon record).  S are single articles, X are related-only.
_ROWS: list[tuple[str, str, str, str, str, list[str]]] = [
    (
        "A1",
        "harbor",
        "2024-03-04T07:10:00Z",
        "Lantern Bay Bridge closes for emergency cable repairs",
        (
            "Port Alder shut the Lantern Bay Bridge before dawn on Monday after inspectors found two "
            "frayed suspension cables, sending morning traffic onto the ring road."
        ),
        [TRANSPORT],
    ),
    (
        "A2",
        "coastal",
        "2024-03-04T09:45:00Z",
        "Emergency cable repairs close Lantern Bay Bridge in Port Alder",
        (
            "Crews began replacing worn cables on the Lantern Bay Bridge, which the city closed to all "
            "traffic while engineers check the rest of the span."
        ),
        [TRANSPORT, ECONOMY],
    ),
    (
        "A3",
        "metro",
        "2024-03-04T16:20:00Z",
        "Lantern Bay Bridge closure snarls the Port Alder commute",
        (
            "Drivers reported hour-long queues on the ring road as the Lantern Bay Bridge stayed shut "
            "for cable repairs; buses were rerouted through the old town."
        ),
        [TRANSPORT],
    ),
    (
        "A4",
        "northfield",
        "2024-03-05T08:00:00Z",
        "Port Alder closes Lantern Bay Bridge after cable inspection",
        (
            "City engineers said the bridge will stay closed at least until the weekend while two "
            "suspension cables are replaced."
        ),
        [TRANSPORT],
    ),
    (
        "A5",
        "ridgeline",
        "2024-03-05T12:30:00Z",
        "Ferries added as Lantern Bay Bridge stays closed for repairs",
        (
            "The harbor authority doubled ferry crossings between the two shores of Lantern Bay while "
            "the bridge is closed."
        ),
        [TRANSPORT],
    ),
    (
        "A6",
        "harbor",
        "2024-03-06T18:05:00Z",
        "Lantern Bay Bridge to reopen one lane next week, engineers say",
        (
            "One lane in each direction should reopen on Tuesday once the first replacement cable is "
            "tensioned, the city's chief engineer said."
        ),
        [TRANSPORT],
    ),
    (
        "B1",
        "byteline",
        "2024-04-16T14:00:00Z",
        "Veltra releases Murmur, an open-source speech recognition model",
        (
            "Veltra published Murmur, a speech recognition model small enough for a laptop, under an "
            "open licence with its training recipe."
        ),
        [AI, OPEN],
    ),
    (
        "B2",
        "metro",
        "2024-04-16T17:40:00Z",
        "Veltra's Murmur speech model is open source and runs on a laptop",
        (
            "The Murmur model transcribes meetings offline, Veltra said, and ships with weights and "
            "evaluation scripts anyone can rerun."
        ),
        [AI, OPEN],
    ),
    (
        "B3",
        "orbit",
        "2024-04-17T06:15:00Z",
        "Open-source Murmur speech model from Veltra tops an accuracy chart",
        (
            "On a public benchmark of accented speech, Veltra's Murmur beat larger closed models, "
            "according to figures the company released."
        ),
        [AI],
    ),
    (
        "B4",
        "northfield",
        "2024-04-17T10:50:00Z",
        "Veltra opens up its Murmur speech model to developers",
        (
            "Developers can fine-tune Murmur for new languages, Veltra said, and a community forum "
            "opens next month."
        ),
        [AI, OPEN],
    ),
    (
        "B5",
        "fieldnote",
        "2024-04-17T15:00:00Z",
        "Hands-on: Veltra's Murmur speech model",
        (
            "We ran Veltra's new open speech model on an old laptop and a phone. Here is how it did "
            "with street noise, accents and fast talkers."
        ),
        [AI],
    ),
    (
        "B6",
        "byteline",
        "2024-04-17T19:30:00Z",
        "Murmur: what Veltra's open speech model means for small startups",
        "Three founders explain why a free, local speech model changes what they can build.",
        [AI, OPEN],
    ),
    (
        "C1",
        "coastal",
        "2024-09-09T13:40:00Z",
        "Storm Imara makes landfall on the Calder Coast",
        (
            "Storm Imara came ashore near Saltmere with gusts of 120 km/h, flooding the seafront and "
            "closing the coastal road."
        ),
        [CLIMATE],
    ),
    (
        "C2",
        "ridgeline",
        "2024-09-09T08:00:00Z",
        "Calder Coast towns evacuate as Storm Imara nears",
        (
            "Officials told residents of low-lying streets in Saltmere and Brackwell to leave before "
            "the storm's arrival."
        ),
        [CLIMATE, HEALTH],
    ),
    (
        "C3",
        "harbor",
        "2024-09-09T21:15:00Z",
        "Storm Imara cuts power to thousands on the Calder Coast",
        "About 40,000 homes lost power as Storm Imara brought down lines along the coast.",
        [CLIMATE],
    ),
    (
        "C4",
        "metro",
        "2024-09-10T09:20:00Z",
        "Storm Imara: Calder Coast clinics open emergency shelters",
        (
            "Two clinics turned their halls into shelters for people whose homes flooded during "
            "Storm Imara."
        ),
        [CLIMATE, HEALTH],
    ),
    (
        "C5",
        "northfield",
        "2024-09-10T17:00:00Z",
        "After Storm Imara, the Calder Coast begins the cleanup",
        (
            "Volunteers cleared sand and seaweed from Saltmere's streets as power returned to most "
            "homes."
        ),
        [CLIMATE],
    ),
    (
        "D1",
        "northfield",
        "2024-10-20T12:30:00Z",
        "Tavi Marren breaks the Redwater Marathon course record",
        (
            "Tavi Marren won the Redwater Marathon in 2:07:41, cutting 52 seconds from a record that "
            "had stood for nine years."
        ),
        [SPORTS],
    ),
    (
        "D2",
        "metro",
        "2024-10-20T15:10:00Z",
        "Redwater Marathon: Marren sets a course record in cold rain",
        "Despite rain and a headwind on the river path, Marren pulled away at the 30 km mark.",
        [SPORTS],
    ),
    (
        "D3",
        "ridgeline",
        "2024-10-20T18:45:00Z",
        "Course record falls at the Redwater Marathon",
        (
            "A record field of 9,000 runners finished the Redwater Marathon, led by Tavi Marren's "
            "course record."
        ),
        [SPORTS],
    ),
    (
        "D4",
        "harbor",
        "2024-10-21T07:30:00Z",
        "Marren's Redwater Marathon record run, mile by mile",
        "Split times show Marren ran the second half faster than the first.",
        [SPORTS],
    ),
    (
        "S1",
        "byteline",
        "2024-01-18T09:00:00Z",
        "Nimbus Grid cuts prices for small cloud servers",
        "The hosting firm lowered the price of its smallest virtual machines by a fifth.",
        [CLOUD],
    ),
    (
        "S2",
        "byteline",
        "2024-02-07T11:20:00Z",
        "Why small teams are moving build servers back on-premises",
        "Four engineering leads describe the costs that pushed them off rented build machines.",
        [CLOUD],
    ),
    (
        "S3",
        "byteline",
        "2024-02-22T13:00:00Z",
        "Open-source maintainers get a paid fellowship from the Quillfield Foundation",
        "Twelve maintainers of widely used libraries will be paid for a year of upkeep work.",
        [OPEN],
    ),
    (
        "S4",
        "metro",
        "2024-05-14T10:00:00Z",
        "A chatbot for library catalogs, built by students",
        (
            "Students at Tidewater University built an assistant that finds books from a vague "
            "description."
        ),
        [AI, EDUCATION],
    ),
    (
        "S5",
        "northfield",
        "2024-06-03T08:30:00Z",
        "Tidewater University opens a lab for trustworthy AI",
        "The lab will audit models used by local hospitals and schools.",
        [AI, EDUCATION],
    ),
    (
        "S6",
        "byteline",
        "2024-07-11T15:45:00Z",
        "Nimbus Grid outage knocks out payment terminals for two hours",
        (
            "Shops across the region fell back to cash after a configuration error at the hosting "
            "firm."
        ),
        [CLOUD, ECONOMY],
    ),
    (
        "S7",
        "byteline",
        "2024-08-01T09:10:00Z",
        "Corvid Labs publishes the weights of its weather forecasting model",
        "The forecasting model can run on a single graphics card, the lab said.",
        [AI, CLIMATE, OPEN],
    ),
    (
        "S8",
        "metro",
        "2024-11-05T12:00:00Z",
        "Review: three open-source note-taking apps compared",
        "We used each app for a month of meetings, lists and recipes.",
        [OPEN],
    ),
    (
        "S9",
        "orbit",
        "2024-02-15T20:00:00Z",
        "Kestrel-2 cubesat sends its first images of the night sky",
        (
            "The shoebox-sized satellite, built by a university club, photographed the Pleiades on its "
            "third orbit."
        ),
        [SPACE],
    ),
    (
        "S10",
        "orbit",
        "2024-04-29T10:30:00Z",
        "Astra Vale spaceport wins approval for a second launch pad",
        (
            "Regulators approved a second pad, which the spaceport says will double its launch "
            "capacity."
        ),
        [SPACE, ECONOMY],
    ),
    (
        "S11",
        "ridgeline",
        "2024-03-12T19:00:00Z",
        "Students track the Kestrel-2 cubesat from a school rooftop",
        "A homemade antenna lets pupils download pictures as the satellite passes overhead.",
        [SPACE, EDUCATION],
    ),
    (
        "S12",
        "orbit",
        "2024-09-24T14:20:00Z",
        "Orbital debris tracker goes open source",
        "The tracker predicts close approaches between satellites and known fragments.",
        [SPACE, "open source"],
    ),
    (
        "S13",
        "harbor",
        "2024-01-25T18:00:00Z",
        "Port Alder approves electric harbor ferries",
        (
            "Port Alder&#8217;s council voted 7 to 2 for four battery ferries â€” the first in the "
            "region &amp; a test for the harbor authority."
        ),
        [TRANSPORT, CLIMATE],
    ),
    (
        "S14",
        "coastal",
        "2024-05-30T07:30:00Z",
        "Coastal towns test early-warning sirens before storm season",
        "Sirens sounded at noon in six towns as emergency teams timed how fast streets emptied.",
        [CLIMATE, HEALTH],
    ),
    (
        "S15",
        "harbor",
        "2024-06-19T09:00:00Z",
        "Clinic wait times fall after Port Alder adds evening hours",
        "Average waits dropped from eleven days to four after three clinics opened until 9 pm.",
        [HEALTH],
    ),
    (
        "S16",
        "coastal",
        "2024-07-23T11:10:00Z",
        "Tide gauges show faster sea-level rise along the Calder Coast",
        "Readings from five gauges suggest the sea is rising twice as fast as in the 1990s.",
        [CLIMATE],
    ),
    (
        "S17",
        "metro",
        "2024-08-14T22:00:00Z",
        "Night buses return to Port Alder after a four-year pause",
        "Three night routes will link the old town, the hospital and the ferry terminal.",
        [TRANSPORT],
    ),
    (
        "S18",
        "ridgeline",
        "2024-08-20T06:45:00Z",
        "Heat advisory: cooling centres open across the valley",
        "Libraries and community halls will stay open late while temperatures stay above 35 C.",
        [HEALTH, CLIMATE],
    ),
    (
        "S19",
        "harbor",
        "2024-10-02T08:15:00Z",
        "Bike lanes on Harbor Street cut crashes by a third, study finds",
        "A two-year study counted 31 crashes before the lanes and 20 after.",
        [TRANSPORT, HEALTH],
    ),
    (
        "S20",
        "northfield",
        "2024-01-30T07:00:00Z",
        "Northfield bakery co-op turns a profit in its first year",
        "The worker-owned bakery credits a subscription bread box for its early profit.",
        [ECONOMY],
    ),
    (
        "S21",
        "northfield",
        "2024-03-28T09:30:00Z",
        "Regional jobs report shows steady hiring in logistics",
        "Warehouses and delivery firms added 1,200 jobs in the first quarter.",
        [ECONOMY, TRANSPORT],
    ),
    (
        "S22",
        "northfield",
        "2024-04-08T06:30:00Z",
        "School district adds coding classes for every grade",
        "From September, every pupil will have an hour of programming a week.",
        [EDUCATION],
    ),
    (
        "S23",
        "metro",
        "2024-05-19T21:00:00Z",
        "Northfield Foxes clinch the river league title",
        "A late goal against Brackwell sealed the club's first title in a decade.",
        [SPORTS],
    ),
    (
        "S24",
        "ridgeline",
        "2024-06-26T10:00:00Z",
        "Community college offers free courses in wind turbine repair",
        "The twelve-week course is paid for by a grant from three turbine operators.",
        [EDUCATION, ECONOMY],
    ),
    (
        "S25",
        "harbor",
        "2024-07-06T12:00:00Z",
        "Rowing club plans a youth regatta on Lantern Bay",
        "Crews from eight schools will race a two-kilometre course in August.",
        [SPORTS],
    ),
    (
        "S26",
        "metro",
        "2024-11-30T18:30:00Z",
        "Small shops report a busy holiday weekend",
        "Shop owners in the old town said footfall was the best since the bridge reopened.",
        [ECONOMY],
    ),
    (
        "S27",
        "northfield",
        "2024-12-03T08:00:00Z",
        "Swim team qualifies four athletes for the national finals",
        "",
        [SPORTS],
    ),
    (
        "S28",
        "coastal",
        "2024-09-30T16:00:00Z",
        "Volunteers map salt marsh recovery with drones",
        "Drone photos show the marsh at Brackwell regrowing two years after a dyke was removed.",
        [CLIMATE],
    ),
    (
        "S29",
        "orbit",
        "2024-12-12T15:00:00Z",
        "Library lends out telescopes for the winter",
        "Ten small telescopes can be borrowed for two weeks with a library card.",
        [SPACE, EDUCATION],
    ),
    (
        "X1",
        "harbor",
        "2024-03-03T20:00:00Z",
        "Port Alder posts the bridge inspection report",
        "The report lists the cables that need replacing first.",
        [],
    ),
    (
        "X2",
        "ridgeline",
        "2024-03-04T11:00:00Z",
        "Ferry timetable during the bridge closure",
        "Extra crossings run every twenty minutes at peak times.",
        [],
    ),
    (
        "X3",
        "byteline",
        "2024-04-16T13:00:00Z",
        "Murmur model card and benchmark notes",
        "How the model was trained and where it still makes mistakes.",
        [],
    ),
    (
        "X4",
        "coastal",
        "2024-09-08T18:00:00Z",
        "Calder Coast storm shelter list",
        "Addresses and opening hours of shelters during the storm.",
        [],
    ),
    (
        "X5",
        "metro",
        "2024-10-20T14:00:00Z",
        "Redwater Marathon results",
        "Full results for the men's, women's and wheelchair races.",
        [],
    ),
    (
        "X6",
        "byteline",
        "2024-07-11T18:00:00Z",
        "Nimbus Grid status page history",
        "A timeline of the outage from the hosting firm's status page.",
        [],
    ),
]

# Who links to whom; a suffix picks how the link is written: "@amp" (ampWebUrl only), "@cdn"
# (cdnAmpWebUrl only), "@utm" (webUrl with tracking parameters).
RELATED = {
    "A1": ["A2", "A4", "X1"],
    "A2": ["A1", "A3", "X1"],
    "A3": ["A1@amp", "A2", "A5"],
    "A4": ["A1", "A6", "X1"],
    "A5": ["A3", "A6", "X2"],
    "A6": ["A4", "A5"],
    "B1": ["B2", "B5", "X3"],
    "B2": ["B1", "B3", "X3"],
    "B3": ["B1", "B4", "X3"],
    "B4": ["B1", "B2"],
    "B6": ["B1", "B3", "B5"],
    "C1": ["C2", "C3", "X4"],
    "C5": ["C1@cdn", "C3", "C4"],
    "D1": ["D2", "D3", "X5"],
    "D2": ["D1@utm", "D4"],
    "D3": ["D1", "X5"],
    "D4": ["D1", "D2"],
    "S1": ["S6"],
    "S2": ["S1"],
    "S3": ["S8"],
    "S5": ["S4"],
    "S6": ["S1", "X6"],
    "S7": ["B1"],
    "S11": ["S9"],
    "S12": ["S9", "S10"],
    "S13": ["S17"],
    "S14": ["S16", "C1"],
    "S16": ["S28"],
    "S17": ["S13", "S19"],
    "S19": ["S17"],
    "S21": ["S20"],
    "S23": ["S27"],
    "S25": ["S23"],
    "S29": ["S9", "S11"],
}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


def _number(key: str, salt: str, modulo: int) -> int:
    return int(hashlib.sha256(f"{salt}:{key}".encode()).hexdigest(), 16) % modulo


def _build_articles() -> dict[str, dict[str, Any]]:
    """Every article as a seed-shaped mapping (``topics`` empty for related-only ones)."""
    articles = {}
    for key, provider, published, title, excerpt, topics in _ROWS:
        name, domain, host = PROVIDERS[provider]
        path = f"{published[:10].replace('-', '/')}/{_slug(title)}"
        article: dict[str, Any] = {
            "category": "news",
            "title": title,
            "excerpt": excerpt,
            "publishedDateTime": published,
        }
        if provider == "fieldnote":  # a video: known by its originalUrl only, as real ones are
            article["originalUrl"] = f"https://{host}/watch?v=murmur-hands-on"
            article["type"] = "video"
        else:
            article["webUrl"] = f"https://{host}/{path}"
            if _number(key, "amp", 3) or key in ("A1", "C1"):
                article["ampWebUrl"] = f"https://{host}/amp/{path}"
                cache = host.replace("-", "--").replace(".", "-")
                article["cdnAmpWebUrl"] = (
                    f"https://{cache}.cdn.ampproject.org/c/s/{host}/amp/{path}"
                )
            article["type"] = "article"
        article["quality"] = 5 + _number(key, "quality", 90)
        article["heat"] = None if key == "S3" else _number(key, "heat", 150) - 1
        article["published"] = article["quality"] > 30
        article["provider"] = {"name": name, "domain": domain}
        if provider in LOGOS:
            article["provider"]["images"] = [
                {"url": f"https://static.{domain}/logo-64x64.png", "width": 64, "height": 64}
            ]
        if topics:
            article["topics"] = topics
        if key != "S27":
            month, stem = published[:7].replace("-", "/"), _slug(title)[:40].strip("-")
            image = f"https://img.{domain}/{month}/{stem}.jpg"
            article["images"] = [
                {"url": image, "width": 1200, "height": 675, "isCached": True, "title": title}
            ]
        articles[key] = article
    return articles


ARTICLES = _build_articles()


def _related_item(reference: str) -> dict[str, Any]:
    """A related-list entry in the seed's shape, built from the article it points to."""
    key, _, how = reference.partition("@")
    a = ARTICLES[key]
    item: dict[str, Any] = {
        "title": a["title"],
        "excerpt": a["excerpt"][:200],
        "publishedDateTime": a["publishedDateTime"],
    }
    if how == "amp":
        item["ampWebUrl"] = a["ampWebUrl"]
    elif how == "cdn":
        item["cdnAmpWebUrl"] = a["cdnAmpWebUrl"]
    elif how == "utm":
        item["webUrl"] = a["webUrl"] + "?utm_source=newsletter&utm_medium=email"
    else:
        item.update(
            {k: a[k] for k in ("webUrl", "ampWebUrl", "cdnAmpWebUrl", "originalUrl") if k in a}
        )
    item["type"] = a["type"]
    item["provider"] = {"name": a["provider"]["name"], "domain": a["provider"]["domain"]}
    item["quality"] = a["quality"]
    if "images" in a:
        item["images"] = [{k: v for k, v in image.items() if k != "title"} for image in a["images"]]
    return item


def document(key: str, **changes: Any) -> dict[str, Any]:
    """The full mapping of a primary document: the article, its related list and ``secured``."""
    doc = {}
    for name, value in {**ARTICLES[key], **changes}.items():
        if name == "updatedDateTime":
            continue
        doc[name] = value
        if name == "publishedDateTime" and "updatedDateTime" in changes:
            doc["updatedDateTime"] = changes["updatedDateTime"]
        if name == "published" and key == "B5":  # where the real video files put it
            doc["featuredContent"] = (
                '<iframe width="800" height="450" frameborder="0" '
                'src="https://video.fieldnote.example/embed/murmur-hands-on" allowfullscreen>'
                "</iframe>"
            )
    if key in RELATED:
        doc["related"] = [_related_item(r) for r in RELATED[key]]
    identity = doc.get("webUrl") or doc["originalUrl"]
    doc["secured"] = base64.b64encode(hashlib.sha256(identity.encode()).digest() * 4).decode()
    return doc


# -- rendering -----------------------------------------------------------------------------

_QUOTED = {
    "title",
    "excerpt",
    "webUrl",
    "ampWebUrl",
    "cdnAmpWebUrl",
    "originalUrl",
    "url",
    "secured",
    "featuredContent",
}
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 .'-]*\Z")
_BLANK_BEFORE = {"provider", "topics", "tags", "images", "related", "secured", "featuredContent"}


def _scalar(key: str, value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if key.endswith("DateTime"):
        return value  # a YAML timestamp, unquoted as in the seed
    if (
        key not in _QUOTED
        and _PLAIN.match(value)
        and value.lower() not in {"yes", "no", "on", "off", "null"}
    ):
        return value
    return json.dumps(value, ensure_ascii=False)  # JSON strings are valid YAML


def to_yaml(mapping: dict[str, Any], indent: int = 0, top: bool = False) -> list[str]:
    """YAML lines in the seed's layout (block style, blank lines between top-level groups)."""
    pad, lines = " " * indent, []
    for key, value in mapping.items():
        if top and key in _BLANK_BEFORE:
            lines.append("")
        if isinstance(value, dict):
            lines += [f"{pad}{key}:", *to_yaml(value, indent + 2)]
        elif isinstance(value, list):
            lines.append(f"{pad}{key}:")
            for item in value:
                if isinstance(item, dict):
                    first, *rest = to_yaml(item, indent + 4)
                    lines += [f"{pad}  - {first.lstrip()}", *rest]
                else:
                    lines.append(f"{pad}  - {_scalar('', item)}")
        else:
            lines.append(f"{pad}{key}: {_scalar(key, value)}")
    return lines


def front_matter(doc: dict[str, Any], body: str = "") -> str:
    return "---\n" + "\n".join(to_yaml(doc, top=True)) + "\n---\n" + body


def yaml_list(docs: list[dict[str, Any]]) -> str:
    lines = []
    for doc in docs:
        first, *rest = to_yaml(doc, 2)
        lines += [f"- {first.lstrip()}", *rest]
    return "\n".join(lines) + "\n"


def _pacific(timestamp: str) -> str:
    """``2024-09-09T13:40:00Z`` as the API writes it: ``2024-09-09T06:40:00-07:00``."""
    day, hour = timestamp[:10], int(timestamp[11:13])
    assert hour >= 7, "keep the sample's API times on the same calendar day"
    return f"{day}T{hour - 7:02d}{timestamp[13:19]}-07:00"


def api_item(key: str) -> dict[str, Any]:
    """An item of a ``{"news": [...]}`` API response, shaped like the real ones."""
    a = ARTICLES[key]
    return {
        "path": f"_news/{a['publishedDateTime'][:10]}-{_slug(a['title'])}.md",
        "title": a["title"],
        "excerpt": a["excerpt"],
        "heat": a["heat"],
        "tags": ["Calder Coast", "Storms"],
        "type": a["type"],
        "webUrl": a["webUrl"],
        **{k: a[k] for k in ("ampWebUrl", "cdnAmpWebUrl") if k in a},
        "publishedDateTime": _pacific(a["publishedDateTime"]),
        "updatedDateTime": None,
        "provider": {**a["provider"], "images": None, "publishers": None, "authors": None},
        "images": [
            {**{k: v for k, v in i.items() if k != "isCached"}, "attribution": None}
            for i in a.get("images", [])
        ],
        "locale": "en-us",
        "categories": ["news"],
        "topics": a["topics"],
    }


def _file_name(key: str) -> str:
    a = ARTICLES[key]
    return f"{a['publishedDateTime'][:10]}-{_slug(a['title'])}.md"


_SPECIAL = {"S9", "S14", "S16", "C2", "C3", "C4", "S1", "S2", "S6"}
_BROKEN = """---
category: news
title: "Draft: Port Alder budget hearing runs late"
excerpt: "Council members heard from residents until after midnight."
publishedDateTime: 2024-05-02T23:30:00Z
webUrl: "https://news.harbor.example/2024/05/02/draft-port-alder-budget-hearing"
type: article

The hearing opened with the harbor budget and ran past midnight.
Residents asked about the bridge, the ferries and the night buses.
"""


def build_files() -> dict[str, bytes]:
    """Every sample file, by path relative to ``samples/news``."""
    text: dict[str, str] = {}
    for key in ARTICLES:
        if key[0] in "ABCDS" and key not in _SPECIAL:
            text[_file_name(key)] = front_matter(document(key))
    # The same webUrl again, updated a day later: the newer document's fields must win.
    text["2024-03-05-lantern-bay-bridge-closes-update.md"] = front_matter(
        document(
            "A1",
            title="Lantern Bay Bridge closes for emergency cable repairs (updated)",
            excerpt="The Lantern Bay Bridge will stay closed until at least Saturday, the city said "
            "on Tuesday, as crews replace the first of two suspension cables.",
            updatedDateTime="2024-03-05T09:30:00Z",
        )
    )
    text["2024-06-19-clinic-wait-times-fall-after-port-alder-adds-evening-hours.md"] = front_matter(
        document("S15"),
        body="\nThe clinics plan to review the evening hours in "
        "December.\n\n<p>Figures: city health office.</p>\n",
    )
    text["000_3f9a1c2e7b5d4e60.txt"] = front_matter(document("S9"))  # named like the seed
    text["feeds/coastal-ledger.yaml"] = yaml_list([document("S14"), document("S16")])
    text["api/calder-coast/index.json"] = (
        json.dumps(
            {
                "location": {
                    "long": -124.1,
                    "countryOrRegion": "Calder Coast",
                    "provinceOrState": None,
                    "county": None,
                    "isoCode": "CC",
                    "lat": 41.7,
                },
                "updatedDateTime": "2024-09-10T18:00:00.0000000Z",
                "news": [api_item(k) for k in ("C2", "C3", "C4")],
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
    text["export/byteline.jsonl"] = "".join(
        json.dumps(document(k), ensure_ascii=False) + "\n" for k in ("S1", "S2", "S6")
    )
    text["2024-05-02-draft-port-alder-budget-hearing.md"] = _BROKEN
    files = {name: value.encode("utf-8") for name, value in text.items()}
    crlf, bom = _file_name("S20"), _file_name("S22")
    files[crlf] = files[crlf].replace(b"\n", b"\r\n")
    files[bom] = "\ufeff".encode() + files[bom]
    # Metro Pulse written once with "www." (S17) and a lower-case topic (S12): both must merge.
    s17 = _file_name("S17")
    files[s17] = files[s17].replace(b"domain: metropulse.test", b"domain: www.metropulse.test", 1)
    return dict(sorted(files.items()))


def expected() -> dict[str, Any]:
    """What a build of ``samples/news`` must find (the tests compare a build with this)."""
    primaries = [k for k in ARTICLES if k[0] != "X"]
    topics = {" ".join(t.casefold().split()) for k in primaries for t in ARTICLES[k]["topics"]}
    logos = {i["url"] for k in primaries for i in ARTICLES[k]["provider"].get("images", [])}
    images = logos | {i["url"] for a in ARTICLES.values() for i in a.get("images", [])}
    return {
        "files": len(FILES),
        "files_failed": 1,
        "duplicate_documents": 1,
        "primary_articles": len(primaries),
        "stub_articles": len(ARTICLES) - len(primaries),
        "nodes": {
            "article": len(ARTICLES),
            "provider": len(PROVIDERS),
            "topic": len(topics),
            "tag": 2,
            "image": len(images),
        },
        "edges": {
            "published_by": len(ARTICLES),
            "about": sum(len(ARTICLES[k]["topics"]) for k in primaries),
            "tagged": 3 * 2,  # three API items, two tags each
            "has_image": len(logos) + sum(len(a.get("images", [])) for a in ARTICLES.values()),
            "related_to": sum(map(len, RELATED.values())),
        },
        "stories": {story: sorted(k for k in ARTICLES if k[0] == story) for story in "ABCD"},
        "keys": {k: a.get("webUrl") or a["originalUrl"] for k, a in ARTICLES.items()},
    }


FILES = build_files()


def main() -> None:
    out = HERE / "news"
    for name, data in FILES.items():
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


if __name__ == "__main__":
    main()
