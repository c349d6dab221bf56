"""The naming table: names.txt, natural names, default labels, `archgen nodes` agreeing."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from arch.catalog import (
    NAMES_FILE,
    NEUTRAL,
    Catalog,
    LookupFailed,
    NodeType,
    load_catalog,
    normalize,
    read_all_names,
    read_names,
    vendor,
    weaker_names,
)
from arch.model import GROUP_KINDS

from .helpers import invoke

HERE = Path(__file__).parent
DOCS = HERE.parent / "docs" / "blueprint.md"


def natural_names() -> list[tuple[str, str, str]]:
    rows = []
    for raw in (HERE / "natural-names.txt").read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            provider, name, qualname = (p.strip() for p in raw.split("|"))
            rows.append((provider, name, qualname))
    return rows


NATURAL = natural_names()


def cls(catalog: Catalog, qualname: str) -> NodeType:
    return catalog.by_qualified[qualname][0]


def test_every_curated_name_points_at_an_existing_class() -> None:
    catalog = load_catalog()
    assert catalog.missing == []
    lines, _ = read_names(NAMES_FILE.read_text(encoding="utf-8"))
    assert len(lines) > 400


def test_no_name_is_curated_for_two_classes_of_one_provider() -> None:
    catalog = load_catalog()
    seen: dict[tuple[str, str], str] = {}
    for line in catalog.lines:
        t = cls(catalog, line.qualname)
        for name in (line.label, *line.names):
            key = (t.provider, normalize(name))
            assert seen.setdefault(key, t.qualname) == t.qualname, (name, seen[key], t.qualname)


def test_spell_lines_for_every_provider_or_one() -> None:
    _, spellings = read_names("spell: GitLab, IoT\nspell aws: GuardDuty # AWS's\n")
    assert spellings == [("", "GitLab"), ("", "IoT"), ("aws", "GuardDuty")]


def test_a_bad_line_is_refused() -> None:
    with pytest.raises(ValueError, match="names.txt:2"):
        read_names("aws.compute.EC2 | EC2 |\naws.compute.Lambda Lambda\n")


def test_the_natural_names_list_is_large_enough() -> None:
    others = [r for r in NATURAL if r[0] != "aws"]
    assert len(NATURAL) >= 200 and len(others) >= 40
    assert len({(p, normalize(n)) for p, n, _ in NATURAL}) == len(NATURAL)  # no repeats


def test_the_vendors_product_names_resolve_to_their_class() -> None:
    """tests/product-names.txt: names as the Azure, Google Cloud and AWS product lists write
    them (before the weaker names, `Name (SHORT)` and these table lines: 96/117, 77/93 and
    70/79)."""
    catalog = load_catalog()
    rows = [tuple(p.strip() for p in raw.split("|"))
            for raw in (HERE / "product-names.txt").read_text(encoding="utf-8").splitlines()
            if raw.strip() and not raw.startswith("#")]
    assert {p for p, _, _ in rows} == {"azure", "gcp", "aws"} and len(rows) >= 280
    wrong = []
    for provider, name, qualname in rows:
        try:
            resolved = catalog.resolve(name, [provider])
        except LookupFailed as exc:
            wrong.append((name, exc.message))
            continue
        if cls(catalog, resolved.qualname) is not cls(catalog, qualname) or resolved.note:
            wrong.append((name, resolved.qualname))
    assert wrong == []


def test_a_vendors_product_never_resolves_to_another_vendors_class() -> None:
    """tests/vendor-products.txt, in a blueprint of the vendor: its own class, a vendor-free
    one, or an error. `Datastream` in a Google Cloud blueprint was AWS's Kinesis Data Streams
    (with a note), and `Workflows`, `Database Migration Service`, `Cloud HSM` (Google
    Cloud's), `Backup` and `Managed Prometheus` (Azure's) AWS's classes of those names."""
    catalog = load_catalog()
    rows = [tuple(p.strip() for p in raw.split("|"))
            for raw in (HERE / "vendor-products.txt").read_text(encoding="utf-8").splitlines()
            if raw.strip() and not raw.startswith("#")]
    assert {p for p, _ in rows} == {"azure", "gcp", "aws"} and len(rows) >= 500
    foreign = []
    for provider, name in rows:
        try:
            resolved = catalog.resolve(name, [provider])
        except LookupFailed:
            continue
        # Firebase is Google's: its own icons in a Google Cloud blueprint
        if resolved.provider not in (provider, *NEUTRAL, "firebase"):
            foreign.append((provider, name, resolved.qualname))
    assert foreign == []


@pytest.mark.parametrize(("provider", "name", "product"), [
    ("gcp", "Datastream", "Datastream"), ("gcp", "Google Cloud Workflows", "Workflows"),
    ("gcp", "Batch", "Batch"), ("gcp", "Database Migration Service", "Database Migration Service"),
    ("aws", "AWS Clean Rooms", "Clean Rooms"), ("azure", "Backup", "Backup")])
def test_a_vendors_product_without_an_icon_is_an_error_that_says_so(
        provider: str, name: str, product: str) -> None:
    """Not another vendor's class of that name (`Batch` in a Google Cloud blueprint was
    ambiguous between AWS's and Azure's), nor `unknown node type`: diagrams lacks it."""
    with pytest.raises(LookupFailed) as info:
        load_catalog().resolve(name, [provider])
    assert info.value.message == f"{vendor(provider)}'s {product!r} has no icon in diagrams"
    assert (info.value.hint or "").startswith(f"diagrams has no icon of {name!r}; nearest by "
                                              f"meaning: ")


def test_every_vendors_product_without_an_icon_is_said_so() -> None:
    """Each name of a `no icon VENDOR:` line, in that vendor's blueprint (the line goes
    stale when diagrams draws the product: its class wins, and the line should go)."""
    catalog = load_catalog()
    assert set(catalog.no_icon) == {"aws", "azure", "gcp"}
    for provider, products in catalog.no_icon.items():
        for product in products.values():
            with pytest.raises(LookupFailed) as info:
                catalog.resolve(product, [provider])
            assert info.value.product, (provider, product)


def test_a_name_in_another_number_stays_in_the_blueprints_vendors() -> None:
    """`Data Stream` is AWS's Kinesis Data Streams by its other number only: a guess that
    does not cross into another vendor's picture (it stays one where no provider is set)."""
    catalog = load_catalog()
    assert catalog.resolve("Data Stream", []).qualname == "aws.analytics.KinesisDataStreams"
    assert catalog.resolve("Data Stream", ["aws"]).qualname == \
        "aws.analytics.KinesisDataStreams"
    with pytest.raises(LookupFailed, match="unknown node type 'Data Stream'"):
        catalog.resolve("Data Stream", ["azure"])


@pytest.mark.parametrize(("provider", "name", "weaker"), [
    # the resource word dropped, the label without it
    ("azure", "StreamAnalyticsJobs", [("streamanalytics", "Jobs")]),
    ("azure", "AzureDataExplorerClusters", [
        ("dataexplorerclusters", ""), ("azuredataexplorer", "Clusters"),
        ("dataexplorer", "Clusters")]),
    ("azure", "IotCentralApplications", [("iotcentral", "Applications")]),
    ("gcp", "TranslationAPI", [("translation", "API")]),
    # `Services` only after two words: App Services is not `App`
    ("azure", "AppServices", []),
    ("azure", "DeviceProvisioningServices", [("deviceprovisioning", "Services")]),
    ("gcp", "CloudShell", [("shell", "")]),
])
def test_a_class_name_gives_its_product_name_without_brand_or_resource_word(
        provider: str, name: str, weaker: list[tuple[str, str]]) -> None:
    assert weaker_names(provider, name) == weaker


@pytest.mark.parametrize(("written", "provider", "qualname", "label"), [
    ("Stream Analytics", "azure", "azure.analytics.StreamAnalyticsJobs", "Stream Analytics"),
    ("Time Series Insights", "azure", "azure.iot.TimeSeriesInsightsEnvironments",
     "Time Series Insights"),
    ("Azure IoT Central", "azure", "azure.iot.IotCentralApplications", "IoT Central"),
    ("Service Fabric", "azure", "azure.compute.ServiceFabricClusters", "Service Fabric"),
    ("Cloud Natural Language", "gcp", "gcp.ml.NaturalLanguageAPI", "Natural Language API"),
    ("Red Hat OpenShift", "azure", "azure.containers.AzureRedHatOpenshift",
     "Azure Red Hat Openshift"),
    # a product list's `Name (SHORT)`, an acronym's plural
    ("Azure Kubernetes Service (AKS)", "azure", "azure.compute.KubernetesServices",
     "Kubernetes Service"),
    ("Google Kubernetes Engine (GKE)", "gcp", "gcp.compute.KubernetesEngine", "GKE"),
    ("Cloud GPUs", "gcp", "gcp.compute.GPU", "GPU"),
])
def test_a_product_name_resolves_where_its_class_is_named_otherwise(
        written: str, provider: str, qualname: str, label: str) -> None:
    catalog = load_catalog()
    resolved = catalog.resolve(written, [provider])
    assert cls(catalog, resolved.qualname) is cls(catalog, qualname)
    assert (resolved.label, resolved.note) == (label, None)


@pytest.mark.parametrize(("written", "provider", "qualname"), [
    ("Web (EC2)", "aws", "aws.compute.EC2"),  # not Azure's WebJobs less `Jobs`
    ("Stream (Kinesis)", "aws", "aws.analytics.Kinesis"),  # not OCI's Stream
])
def test_a_name_and_its_short_form_prefer_the_blueprints_own_provider(
        written: str, provider: str, qualname: str) -> None:
    """`Name (SHORT)`: the product's class, but the short form's where only that one is
    the blueprint provider's own (no other vendor's icon with a note)."""
    catalog = load_catalog()
    resolved = catalog.resolve(written, [provider])
    assert cls(catalog, resolved.qualname) is cls(catalog, qualname)
    assert resolved.note is None


def test_a_weaker_name_gives_way_to_a_class_of_that_name() -> None:
    # SQL is azure.database.SQL's own name; AzureSQL without its brand is only weaker.
    assert load_catalog().resolve("SQL", ["azure"]).qualname == "azure.database.SQL"


@pytest.mark.parametrize(("written", "qualname"), [
    ("Bare Metal", "oci.compute.BareMetal"),  # not ibm's BareMetalServer less `Server`
    ("Communication", "ibm.blockchain.Communication"),  # not AzureCommunicationServices
    ("Quotas", "gcp.management.Quotas"),  # not AzureQuotas less its brand
])
def test_another_providers_own_name_beats_a_third_ones_weaker_name(
        written: str, qualname: str) -> None:
    """Outside the blueprint's provider, a class named so is meant, not one that only a
    weaker name (weaker_names) gives: that made these ambiguous errors."""
    resolved = load_catalog().resolve(written, ["onprem"])
    assert resolved.qualname == qualname and resolved.note


@pytest.mark.parametrize("provider,name,qualname", NATURAL,
                         ids=[f"{p}:{n}" for p, n, _ in NATURAL])
def test_natural_name_resolves_and_nodes_lists_it_first(provider: str, name: str,
                                                        qualname: str) -> None:
    catalog = load_catalog()
    resolved = catalog.resolve(name, [provider])
    assert cls(catalog, resolved.qualname).qualname == cls(catalog, qualname).qualname
    assert resolved.note is None
    # `archgen nodes NAME` prints the same class first.
    assert catalog.search(name, provider)[0] is cls(catalog, qualname)


# The product names the issue found spelled as class names, and what they must read.
LABELS = {
    "aws.management.AutoScaling": "Auto Scaling",
    "aws.management.SystemsManagerParameterStore": "Parameter Store",
    "aws.security.Guardduty": "GuardDuty",
    "aws.migration.Datasync": "DataSync",
    "aws.ml.Sagemaker": "SageMaker",
    "aws.devtools.XRay": "X-Ray",
    "aws.network.VpnGateway": "VPN Gateway",
    "aws.network.SiteToSiteVpn": "Site-to-Site VPN",
    "aws.network.Privatelink": "PrivateLink",
    "aws.compute.EC2ContainerRegistry": "Elastic Container Registry",
    "k8s.network.SVC": "Service",
    "k8s.compute.Deploy": "Deployment",
    "k8s.network.Ing": "Ingress",
    # derived, not curated: the service's label, then the rest in words
    "aws.security.IdentityAndAccessManagementIamMfaToken": "IAM MFA Token",
    "aws.database.DynamodbAttribute": "DynamoDB Attribute",
    "aws.iot.IotThingsGraph": "IoT Things Graph",
    # a spelling one vendor's labels teach stays that vendor's (AWS's WorkSpaces)
    "aws.enduser.Workspaces": "WorkSpaces",
    "azure.monitor.LogAnalyticsWorkspaces": "Log Analytics Workspaces",
    "azure.analytics.PrivateLinkServices": "Private Link Services",
    "gcp.devtools.CloudShell": "Cloud Shell",
    "alibabacloud.application.CodePipeline": "CodePipeline",
    "generic.virtualization.Vmware": "VMware",
}


@pytest.mark.parametrize("qualname,label", sorted(LABELS.items()))
def test_default_label_is_the_product_name(qualname: str, label: str) -> None:
    catalog = load_catalog()
    assert catalog.resolve(qualname).label == label


# Words that are one word in English or in a product name, though both halves are words too.
ONE_WORD = {
    "database", "databases", "firewall", "snowball", "snowmobile", "marketplace", "notebook",
    "blockchain", "workspaces", "timestream", "lightsail", "wavelength", "outposts", "backup",
    "multimedia", "toolkit", "network", "networking", "gateway", "endpoint", "someone",
    "datastore", "thermostat", "windfarm", "lightbulb", "headset", "keyspaces", "checklist",
    "inventory", "framework", "workflow", "workflows", "dataset", "deadline", "software",
    "hardware", "dashboard", "bedrock", "broadcast", "playground", "password", "passwords",
    "template", "pipelines", "pipeline", "greengrass", "chatbot", "into", "keyboard",
    "elasticsearch",
}


def _vocabulary(catalog: Catalog) -> set[str]:
    words: set[str] = set()
    for t in catalog.types:
        words.update(w.lower() for w in re.findall(r"[A-Z][a-z]+", t.cls_name))
    return words


def test_every_aws_label_reads_as_words() -> None:
    """No run-together words (Datasync), no broken product spelling (Cloudwatch, X Ray)."""
    catalog = load_catalog()
    vocabulary = _vocabulary(catalog)
    known = {w.lower(): w for w in catalog.spelling_in("aws").values()}
    bad = []
    # The default label of every AWS class, and the label of every name names.txt gives it.
    labels = [(t.qualname, catalog.resolve(t.qualified(t.short)).label)
              for t in catalog.types if t.provider == "aws"]
    labels += [(line.qualname, catalog.resolve(name, ["aws"]).label)
               for line in catalog.lines if line.qualname.startswith("aws.")
               for name in (line.label, *line.names)]
    for qualname, label in labels:
        for word in re.findall(r"[A-Za-z0-9@.-]+", label):
            plain = word.lower()
            if plain in known and word != known[plain] and not word.isupper():
                bad.append(f"{qualname}: {label!r} spells {word!r} not {known[plain]!r}")
            if word[0].isupper() and word[1:].islower() and plain not in ONE_WORD:
                halves = [(plain[:i], plain[i:]) for i in range(4, len(plain) - 3)]
                if any(a in vocabulary and b in vocabulary for a, b in halves):
                    bad.append(f"{qualname}: {label!r} runs words together in {word!r}")
    assert bad == [], "\n".join(bad)


def _doc_table() -> set[tuple[str, str]]:
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("<!-- canonical choices -->")[1].split("<!-- end -->")[0]
    return {(m.group(1), m.group(2))
            for m in re.finditer(r"^\| `([^`]+)` \| `([^`]+)` \|", section, re.M)}


def test_docs_list_every_canonical_choice() -> None:
    """docs/blueprint.md's table holds each name that names.txt settles inside a provider."""
    assert _doc_table() == set(load_catalog().canonical_choices())


# -- what the user sees: one error per wrong type, hints, notes, `archgen nodes` ----------------


def _run(*args: str) -> tuple[int, str, str]:
    result = invoke(list(args))
    return result.exit_code, result.stdout, result.stderr


FLOOD = """\
blueprint: 1
title: t
provider: aws
nodes:
  - {id: git, type: GitLab, label: GitLab (MRs, CI)}
  - {id: sso, type: IAM Identity Centre}
  - {id: app, type: Lambda}
groups:
  - {label: zone, kind: az, nodes: [EC2]}
  - {label: fw, kind: sg, nodes: [Lambda]}
edges:
  - app -> sso
  - sso -> app
  - git -> sso -> app
"""


def test_an_unknown_type_is_reported_once(tmp_path: Path) -> None:
    path = tmp_path / "bp.yaml"
    path.write_text(FLOOD, encoding="utf-8")
    code, _, err = _run("validate", str(path))
    errors = [line for line in err.splitlines() if ": error: " in line]
    assert code == 1
    assert errors == [
        f"{path}:5:49: error: unknown key 'CI)' in a node",
        f"{path}:6:21: error: unknown node type 'IAM Identity Centre' "
        "(provider 'aws', then every provider)",
        f"{path}:9:25: error: group kind 'az' is not one of " + ", ".join(GROUP_KINDS),
        f"{path}:10:23: error: group kind 'sg' is not one of " + ", ".join(GROUP_KINDS),
    ]
    hints = [line.strip() for line in err.splitlines() if line.startswith("  hint:")]
    assert hints == [
        'hint: a comma inside {...} ends the value: quote it, label: "GitLab (MRs, CI)"',
        "hint: did you mean 'IAM Identity Center'?",  # one class, named once
        "hint: did you mean 'availability-zone'?",
        "hint: did you mean 'security-group'?",
    ]


@pytest.mark.parametrize("name,provider,hint", [
    ("MSKK", "aws", "'MSK'"),  # spelling
    ("Kafka streaming", "aws", "'Managed Streaming for Kafka'"),  # words
    ("Security Group", "aws", "`kind: security-group`"),  # a box, not a node
    ("Cloud Buld", "gcp", "'Cloud Build'"),  # gcp's, not AWS's CodeBuild
    ("Functionz", "azure", "'Function'"),  # azure.compute.FunctionApps, named once
    # neither: the types sharing its telling words, earlier words first
    ("IoT Thing", "aws", "related: 'IoT Things Graph' (aws.iot.IotThingsGraph)"),
    ("Glue Schema Registry", "aws", "related: 'Glue' (aws.analytics.Glue)"),
])
def test_unknown_names_suggest_by_meaning_and_spelling(name: str, provider: str,
                                                       hint: str) -> None:
    with pytest.raises(LookupFailed) as info:
        load_catalog().resolve(name, [provider])
    assert info.value.hint is not None and hint in info.value.hint
    assert "set `provider:`" not in info.value.hint  # it is set


@pytest.mark.parametrize("name,providers,hint", [
    # A new user's products that diagrams has no icon of: DLP had no hint at all, Signer
    # was offered `Singer (onprem)`, IBM MQ IBM Containers: now the provider's nearest by
    # meaning, with the node that draws it.
    ("DLP", ["gcp"], "diagrams has no icon of 'DLP'; nearest by meaning: 'Security Command "
                     "Center' (gcp.security.SCC), 'Cloud KMS' (gcp.security.KMS): write "
                     "`{type: SCC, label: DLP}`, or give it an icon of your own "
                     "(`icon: FILE.png`)"),
    ("Signer", ["aws"], "diagrams has no icon of 'Signer'; nearest by meaning: 'Certificate "
                        "Manager' (aws.security.ACM), 'KMS' (aws.security.KMS): write `{type: "
                        "ACM, label: Signer}`, or give it an icon of your own "
                        "(`icon: FILE.png`)"),
    # the blueprint's provider first, then vendor-free classes; in a data center onprem's
    ("IBM MQ", ["azure"], "nearest by meaning: 'Service Bus' (azure.integration.ServiceBus), "
                          "'RabbitMQ' (onprem.queue.Rabbitmq), 'ActiveMQ' "
                          "(onprem.queue.Activemq): write `{type: ServiceBus, label: IBM MQ}`"),
    ("IBM MQ", ["onprem", "generic", "azure"], "nearest by meaning: 'RabbitMQ' "
                                               "(onprem.queue.Rabbitmq), 'ActiveMQ'"),
    ("Storage Transfer Service", ["gcp"], "nearest by meaning: 'Transfer Appliance' "
                                          "(gcp.migration.TransferAppliance), 'Cloud Storage'"),
    # a product no line names: the kind of service its last telling word says
    ("Dead Letter Queue", ["gcp"], "no node type of that name; queues by meaning ('queue'): "
                                   "'Pub/Sub' (gcp.analytics.Pubsub), 'Cloud Tasks'"),
    ("Azure Payment HSM", ["azure"], "security services by meaning ('hsm'): 'Defender for "
                                     "Cloud'"),
    ("Lookout for Metrics", ["aws"], "monitoring by meaning ('metrics'): 'CloudWatch'"),
    # a first word that is a product: its relatives, before a later word's kind
    ("Glue Schema Registry", ["aws"], "related: 'Glue' (aws.analytics.Glue)"),
    # close to nothing: where to look, never no hint
    ("Jira", ["aws"], "no node type of that name, nor one close to it: `archgen nodes "
                      "--provider aws` lists AWS's icons by category; or give it an icon of "
                      "your own (`icon: FILE.png`)"),
    ("Qqqzzx", [], "`archgen nodes` lists every icon, by provider and category"),
    # a qualified name: a typo of a class of its provider, else what its class part means
    ("aws.compute.Lamda", ["aws"], "did you mean 'aws.compute.Lambda'?"),
    ("gcp.security.DLP", ["aws"], "diagrams has no icon of 'DLP'; nearest by meaning: "
                                  "'Security Command Center' (gcp.security.SCC)"),
])
def test_a_name_of_no_icon_is_hinted_by_meaning(name: str, providers: list[str],
                                               hint: str) -> None:
    with pytest.raises(LookupFailed) as info:
        load_catalog().resolve(name, providers)
    assert info.value.hint is not None and hint in info.value.hint


@pytest.mark.parametrize("name,provider,spelt,not_spelt", [
    ("Lamda", "aws", "'Lambda'", None),
    ("Quicksite", "aws", "'Quicksight'", None),  # a sound-alike end of the word
    ("Cloud Amor", "aws", "'Cloud Armor (gcp)'", "Cloud IAM"),
    # a real product spelt right is no typo of another: a whole word differs
    ("Cloud WAN", "aws", None, "Cloud Map"),
    ("Kafka Streamz", "gcp", None, "Data Streams"),
    ("Monitoring Hub", "aws", None, "Migration Hub"),
])
def test_spelling_hints_are_typos_only(name: str, provider: str, spelt: str | None,
                                       not_spelt: str | None) -> None:
    with pytest.raises(LookupFailed) as info:
        load_catalog().resolve(name, [provider])
    hint = info.value.hint or ""
    if spelt is not None:
        assert hint == f"did you mean {spelt}?"
    if not_spelt is not None:
        assert not_spelt not in hint


@pytest.mark.parametrize("name,provider,qualname,label", [
    # a part or edition of a product with an icon: drawn with it, labelled as written
    ("Kafka Connect", "gcp", "onprem.queue.Kafka", "Kafka Connect"),
    ("Kafka Streams", "azure", "onprem.queue.Kafka", "Kafka Streams"),
    ("MSK Connect", "aws", "aws.analytics.ManagedStreamingForKafka", "MSK Connect"),
    ("EMR Serverless", "aws", "aws.analytics.EMR", "EMR Serverless"),
    ("BigQuery Data Transfer Service", "gcp", "gcp.analytics.Bigquery",
     "BigQuery Data Transfer Service"),
    ("Vision AI", "gcp", "gcp.ml.VisionAPI", "Vision API"),
    ("Managed HSM", "azure", "azure.security.KeyVaults", "Managed HSM"),
    ("Artifactory", "aws", "onprem.registry.Jfrog", "Artifactory"),
    ("Microsoft Teams", "azure", "saas.chat.Teams", "Teams"),
])
def test_a_part_of_a_product_resolves_to_its_icon(name: str, provider: str, qualname: str,
                                                  label: str) -> None:
    catalog = load_catalog()
    resolved = catalog.resolve(name, [provider])
    assert cls(catalog, resolved.qualname) is cls(catalog, qualname)
    assert (resolved.label, resolved.note) == (label, None)


def test_a_name_of_no_icon_is_no_type_and_gets_its_lines_hint() -> None:
    """A `no icon:` name that resolved would never reach its hint (the line would be dead),
    and each line's classes are offered for its names."""
    catalog = load_catalog()
    _, _, near = read_all_names(NAMES_FILE.read_text(encoding="utf-8"))
    products = [ln for ln in near if not ln.category]
    assert len(products) >= 50 and len(near) - len(products) >= 20
    for line in products:
        first = cls(catalog, line.classes[0])
        for name in line.names:
            with pytest.raises(LookupFailed) as info:
                catalog.resolve(name, [first.provider])
            assert (info.value.hint or "").startswith(
                f"diagrams has no icon of {name!r}; nearest by meaning: "
                f"{catalog.label(first)!r}"), name


def test_a_class_from_another_provider_is_noted(tmp_path: Path) -> None:
    path = tmp_path / "bp.yaml"
    path.write_text("blueprint: 1\ntitle: t\nprovider: aws\nnodes: [Cloud Build, Kafka]\n",
                    encoding="utf-8")
    code, out, err = _run("validate", str(path))
    assert code == 0 and out.startswith("OK")
    # Whose icon it is, this vendor's nearest, how to keep it; Kafka is MSK here: no note.
    assert err.splitlines() == [
        f"{path}:4:9: note: node type 'Cloud Build' is drawn with Google Cloud's icon "
        "gcp.devtools.Build ('Cloud Build'): provider 'aws' has no node type of that name",
        "  hint: AWS's nearest: 'CodeBuild' (aws.devtools.Codebuild); or write "
        "`gcp.devtools.Build` to keep Google Cloud's without this note"]
    # The qualified name keeps the icon, with no note.
    path.write_text("blueprint: 1\ntitle: t\nprovider: aws\nnodes: [gcp.devtools.Build]\n",
                    encoding="utf-8")
    assert _run("validate", str(path))[2] == ""


@pytest.mark.parametrize(("provider", "written", "qualname", "label"), [
    ("gcp", "Feature Store", "gcp.ml.VertexAI", "Vertex AI Feature Store"),
    ("gcp", "Model Registry", "gcp.ml.VertexAI", "Vertex AI Model Registry"),
    ("aws", "Feature Store", "aws.ml.Sagemaker", "SageMaker Feature Store"),
    ("aws", "Model Registry", "aws.ml.SagemakerModel", "SageMaker Model Registry"),
])
def test_a_generic_ml_name_is_the_blueprint_providers_own(provider: str, written: str,
                                                          qualname: str, label: str) -> None:
    """`Feature Store` in a gcp blueprint was SageMaker's (AWS's) icon with only a note."""
    resolved = load_catalog().resolve(written, [provider])
    assert (resolved.qualname, resolved.label, resolved.note) == (qualname, label, None)


def test_a_generic_name_of_two_vendors_without_a_provider_is_ambiguous() -> None:
    with pytest.raises(LookupFailed) as info:
        load_catalog().resolve("Feature Store")
    assert info.value.candidates == ("aws.ml.Sagemaker", "gcp.ml.VertexAI")


def test_a_foreign_icon_names_this_vendors_nearest() -> None:
    resolved = load_catalog().resolve("Time Series", ["azure"])
    assert resolved.qualname == "aws.database.Timestream"
    assert "drawn with AWS's icon" in (resolved.note or "")
    assert (resolved.note_hint or "").startswith(
        "Azure's nearest: 'Time Series Insights' (azure.iot.TimeSeriesInsightsEnvironments)")


def test_azure_functions_with_azure_provider() -> None:
    catalog = load_catalog()
    for name in ("Functions", "Function Apps", "FunctionApps"):
        assert catalog.resolve(name, ["azure"]).qualname == "azure.compute.FunctionApps"


def test_nodes_shows_the_label_and_ranks_the_product_first() -> None:
    code, out, _ = _run("nodes", "EFS", "--provider", "aws")
    first = out.splitlines()[0]
    assert code == 0
    assert first.startswith("aws.storage.EFS ") and " Elastic File System " in first
    code, out, _ = _run("nodes", "Deployment", "--provider", "k8s")
    assert out.splitlines()[0].split()[:2] == ["k8s.compute.Deploy", "Deployment"]


MIXED = """\
blueprint: 1
title: t
provider: aws
nodes:
  - User
  - {id: api, type: API Gateway, provider: gcp}
groups:
  - label: cluster
    provider: k8s
    nodes: [User, Service, Lambda]
    groups:
      - {label: inner, provider: gcp, nodes: [VPC]}
  - {label: bad, provider: awz, nodes: [EC2]}
"""


def test_a_groups_or_nodes_provider_comes_first(tmp_path: Path) -> None:
    from arch.errors import ArchError
    from arch.validate import parse_blueprint

    with pytest.raises(ArchError) as info:
        parse_blueprint(MIXED)
    [problem] = info.value.problems
    assert problem.message == "unknown provider 'awz'" and problem.hint == "did you mean 'aws'?"
    bp = parse_blueprint(MIXED.replace("awz", "aws"))
    types = {n.path: n.type.qualname for n in bp.walk_nodes() if n.type}
    assert types == {
        "user": "aws.general.User",  # the blueprint's provider
        "api": "gcp.api.APIGateway",  # the node's own
        "cluster.user": "k8s.rbac.User",  # the group's before the blueprint's
        "cluster.service": "k8s.network.Service",
        "cluster.lambda": "aws.compute.Lambda",  # k8s has none: the blueprint's
        "cluster.inner.vpc": "gcp.network.VPC",  # the innermost group's
        "bad.ec2": "aws.compute.EC2",
    }
    assert bp.notes == ()


def _every_name() -> list[tuple[str, str]]:
    """(provider, name) for every name of names.txt and every class name, in its class's
    provider."""
    catalog = load_catalog()
    names = {(cls(catalog, line.qualname).provider, n)
             for line in catalog.lines for n in (line.label, *line.names)}
    names |= {(t.provider, n) for t in catalog.types for n in t.names}
    return sorted(names)


def test_what_nodes_lists_first_is_what_type_resolves_to() -> None:
    """Whatever `archgen nodes -p P NAME` prints first, `type: NAME` in a blueprint with
    `provider: P` resolves to that class, for P every provider of the table: each name in
    its own class's provider and, in turn, in every fourth other one (under CI=true a fixed
    sample: every third name, in every twelfth other provider)."""
    catalog = load_catalog()
    providers = catalog.providers
    names = _every_name()
    step = 4
    if os.environ.get("CI") == "true":
        names, step = names[::3], 12
    pairs = []
    for i, (own, name) in enumerate(names):
        pairs.append((own, name))
        pairs += [(p, name) for j, p in enumerate(providers) if (i + j) % step == 0
                  and p != own]
    assert {p for p, _ in pairs} == set(providers)
    wrong = []
    for provider, name in pairs:
        try:
            resolved: NodeType | None = cls(catalog, catalog.resolve(name, [provider]).qualname)
        except LookupFailed:
            resolved = None  # `nodes` says so in a note (test below)
        found = catalog.search(name, provider)
        if resolved is None and provider == cls_provider(catalog, name, provider):
            wrong.append(f"{provider}: {name!r} does not resolve in its own provider")
        elif resolved is not None and (not found or found[0] is not resolved):
            first = found[0].qualname if found else "nothing"
            wrong.append(f"{provider}: {name!r}: nodes {first}, type {resolved.qualname}")
    assert wrong == [], "\n".join(wrong)


def cls_provider(catalog: Catalog, name: str, provider: str) -> str | None:
    """`provider` if one of its classes is named `name` (by names.txt or its own name)."""
    return provider if any(e.type.provider == provider for e in catalog.candidates(name)) \
        else None


# The pairs a new user found disagreeing (usertest REPORT-1), through the commands.
AGREE = [
    ("Route Table", "azure", "azure.network.RouteTables", "Route Table"),
    ("Server", "aws", "onprem.compute.Server", "Server"),
    ("Oracle", "aws", "onprem.database.Oracle", "Oracle"),
    ("Prometheus", "aws", "onprem.monitoring.Prometheus", "Prometheus"),
    ("VPN Gateway", "gcp", "gcp.network.VPN", "Cloud VPN"),
    ("HA VPN", "gcp", "gcp.network.VPN", "Cloud VPN"),
    ("Elasticsearch", "aws", "aws.analytics.AmazonOpensearchService", "OpenSearch"),
    ("Private DNS Zone", "azure", "azure.network.DNSPrivateZones", "Private DNS Zone"),
    ("Log Analytics Workspaces", "azure", "azure.analytics.LogAnalyticsWorkspaces",
     "Log Analytics"),
]


@pytest.mark.parametrize("query,provider,qualname,label", AGREE,
                         ids=[f"{p}:{q}" for q, p, _, _ in AGREE])
def test_nodes_and_a_blueprint_of_that_provider_agree(tmp_path: Path, query: str,
                                                      provider: str, qualname: str,
                                                      label: str) -> None:
    from arch.validate import parse_blueprint

    code, out, _ = _run("nodes", query, "--provider", provider)
    assert code == 0
    first = out.splitlines()[0].split()[0]
    bp = parse_blueprint(f"blueprint: 1\ntitle: t\nprovider: {provider}\n"
                         f"nodes:\n  - {{id: n, type: {query}}}\n")
    [node] = bp.walk_nodes()
    assert node.type is not None
    catalog = load_catalog()
    assert cls(catalog, first) is cls(catalog, node.type.qualname) is cls(catalog, qualname)
    assert node.label == label and bp.notes == ()


def test_nodes_says_when_the_query_is_no_type_or_another_providers() -> None:
    code, out, err = _run("nodes", "load", "--provider", "aws")
    assert code == 0 and out.startswith("aws.network.ELB ")
    assert err == "note: as a type, unknown node type 'load' (provider 'aws', then every " \
                  "provider)\n"
    code, out, err = _run("nodes", "Cloud Build", "--provider", "aws")
    assert code == 0 and out.startswith("gcp.devtools.Build ")
    assert err.splitlines()[0] == "note: as a type, node type 'Cloud Build' is drawn with " \
        "Google Cloud's icon gcp.devtools.Build ('Cloud Build'): provider 'aws' has no node " \
        "type of that name"
    assert err.splitlines()[1].startswith("  hint: AWS's nearest: 'CodeBuild'")


@pytest.mark.parametrize("written,provider,qualname,label", [
    ("Route Table", "azure", "azure.network.RouteTables", "Route Table"),
    ("Route Tables", "aws", "aws.network.RouteTable", "Route Tables"),
    ("Azure Route Table", "azure", "azure.network.RouteTables", "Route Table"),
    ("Log Analytics Workspaces", "azure", "azure.analytics.LogAnalyticsWorkspaces",
     "Log Analytics"),
    ("Private DNS Zones", "azure", "azure.network.DNSPrivateZones", "Private DNS Zones"),
    ("Policies", "aws", "aws.security.IdentityAndAccessManagementIamPermissions",
     "IAM Policy"),
    ("Groups", "k8s", "k8s.rbac.Group", "Groups"),
    ("Public IP Addresses", "azure", "azure.network.PublicIpAddresses",
     "Public IP Addresses"),
])
def test_a_name_in_the_other_number_resolves(written: str, provider: str, qualname: str,
                                             label: str) -> None:
    """Singular and plural of a class's names resolve in its provider before an exact name
    of another, labelled in the number written when the label is that name."""
    catalog = load_catalog()
    resolved = catalog.resolve(written, [provider])
    assert cls(catalog, resolved.qualname) is cls(catalog, qualname)
    assert (resolved.label, resolved.note) == (label, None)


@pytest.mark.parametrize("key,forms", [
    ("routetable", ["routetables", "routetablees"]), ("zones", ["zone", "zon"]),
    ("policies", ["policie", "polici", "policy"]), ("policy", ["policys", "policies"]),
    ("address", ["addresss", "addresses"]), ("status", ["statuss", "statuses"]),
    ("nats", []), ("eks", []),
])
def test_other_numbers(key: str, forms: list[str]) -> None:
    from arch.catalog import other_numbers

    assert other_numbers(key) == forms


def test_every_curated_name_resolves_to_its_class() -> None:
    """No line of names.txt is dead: each name, in its class's provider, is that class."""
    catalog = load_catalog()
    dead = []
    for line in catalog.lines:
        t = cls(catalog, line.qualname)
        for name in (line.label, *line.names):
            got = cls(catalog, catalog.resolve(name, [t.provider]).qualname)
            if got is not t:
                dead.append(f"names.txt:{line.line}: {name!r} is {got.qualname}")
    assert dead == [], "\n".join(dead)


@pytest.mark.parametrize("word,hint", [
    ("az", "'availability-zone'"), ("sg", "'security-group'"), ("asg", "'auto-scaling-group'"),
    ("subnet", "'private-subnet', 'public-subnet'"), ("aws", "'aws-cloud'"), ("lyer", "'layer'"),
])
def test_group_kind_hints_by_meaning_then_spelling(word: str, hint: str) -> None:
    from arch.errors import did_you_mean

    assert did_you_mean(word, GROUP_KINDS) == f"did you mean {hint}?"


# How the vendors spell their products (from their own sites): a label of the vendor-free
# providers must not spell one otherwise (GitLab, not Gitlab).
VENDOR_SPELLINGS = """
GitLab GitHub PostgreSQL MongoDB MySQL MariaDB RabbitMQ ActiveMQ ZeroMQ NATS EMQX ClickHouse
CockroachDB CouchDB DuckDB HBase InfluxDB JanusGraph Neo4j CoreDNS PowerDNS HAProxy pfSense
OPNsense VyOS MikroTik WildFly GlassFish ZooKeeper JFrog GlusterFS NiFi MLflow AWX gVisor
CRI-O LXC K3s OAuth2 BuzzFeed TeamCity CircleCI JavaScript TypeScript LaTeX MATLAB PHP
FastAPI GraphQL JHipster SQLPage Node.js Next.js PagerDuty xMatters n8n Rocket.Chat
CrowdStrike SonarQube PayPal CentOS iOS SUSE QEMU VirtualBox VMware Xen XDR SIEM APM
Elasticsearch Kibana Logstash Opsgenie Cloudflare Auth0 syslog-ng cert-manager etcd dbt rkt
containerd
""".split() + ["Argo CD", "New Relic", "Fluent Bit", "Power BI", "Let's Encrypt",
               "Red Hat", "Travis CI", "GitLab CI", "GitHub Actions", "Proxmox VE", "SQL Server"]
# Lower-case endings that are an acronym run into a name (Couchdb, Graphql, Circleci, Nextjs).
_RUN_IN = re.compile(r"^[A-Z][a-z]+(db|ql|mq|ci|js|dns|api|sso)$")


def test_vendor_free_labels_keep_the_vendors_spelling() -> None:
    """Every default label of onprem, saas, programming, generic and elastic: no product
    spelled otherwise than its vendor does, no acronym run in (Couchdb), no name split at a
    digit (`K3 S`)."""
    catalog = load_catalog()
    spelling = {normalize(v): v for v in VENDOR_SPELLINGS}
    bad = []
    for t in catalog.types:
        if t.provider not in ("onprem", "saas", "programming", "generic", "elastic"):
            continue
        label = catalog.resolve(t.qualified(t.short)).label
        words = label.split()
        for size in (1, 2, 3):
            for i in range(len(words) - size + 1):
                run = " ".join(words[i:i + size])
                want = spelling.get(normalize(run))
                if want and run != want:
                    bad.append(f"{t.qualname}: {label!r} spells {run!r}, not {want!r}")
        bad += [f"{t.qualname}: {label!r} runs an acronym into {w!r}" for w in words
                if _RUN_IN.match(w)]
        if re.search(r"\d [A-Z]\b", label):
            bad.append(f"{t.qualname}: {label!r} is split at a digit")
    assert bad == [], "\n".join(bad)


@pytest.mark.parametrize("written,label", [
    ("GitLab", "GitLab"), ("Gitlab", "GitLab"), ("GitHub", "GitHub"), ("Postgresql", "PostgreSQL"),
    ("MongoDB", "MongoDB"), ("RabbitMQ", "RabbitMQ"), ("K3S", "K3s"), ("Cpp", "C++"),
    ("C#", "C#"), ("C", "C"),
])
def test_a_vendor_free_type_is_labelled_as_its_vendor_writes_it(written: str,
                                                                 label: str) -> None:
    assert load_catalog().resolve(written, ["aws"]).label == label


DATA_CENTER = """\
blueprint: 1
title: t
provider: aws
groups:
  - label: dc
    kind: data-center
    nodes: [Router, Server, Storage, Oracle, Lambda]
    groups:
      - {label: cloud, provider: aws, nodes: [Router]}
  - {label: vpc, kind: vpc, nodes: [Router]}
"""


def test_a_data_center_looks_in_onprem_and_generic_first() -> None:
    """In a `kind: data-center` box a router is a router, not the blueprint's VPC Router;
    what onprem and generic lack is the blueprint's, and a group's `provider` still wins."""
    from arch.validate import parse_blueprint

    bp = parse_blueprint(DATA_CENTER)
    types = {n.path: n.type.qualname for n in bp.walk_nodes() if n.type}
    assert types == {
        "dc.router": "generic.network.Router",
        "dc.server": "onprem.compute.Server",
        "dc.storage": "generic.storage.Storage",
        "dc.oracle": "onprem.database.Oracle",
        "dc.lambda": "aws.compute.Lambda",
        "dc.cloud.router": "aws.network.VPCRouter",
        "vpc.router": "aws.network.VPCRouter",
    }
    assert bp.notes == ()


@pytest.mark.parametrize("written,provider,label", [
    ("Aurora Serverless v2", "aws", "Aurora Serverless v2"),  # a version, kept as written
    ("Application Gateway V2", "azure", "Application Gateway V2"),
    ("ADLS Gen2", "azure", "Data Lake Storage Gen2"),  # the product's label, then the version
    ("S3 Glacier Deep Archive", "aws", "S3 Glacier Deep Archive"),  # an edition of its own
    ("Aurora Postgres", "aws", "Aurora PostgreSQL"),  # a spelling of an edition: its label
])
def test_an_edition_or_a_version_is_labelled_as_written(written: str, provider: str,
                                                       label: str) -> None:
    assert load_catalog().resolve(written, [provider]).label == label
    # `archgen nodes` shows the label `type:` gives on the line of its class
    code, out, _ = _run("nodes", written, "-p", provider)
    assert code == 0 and f" {label}  " in out.splitlines()[0]


@pytest.mark.parametrize("query,provider,said", [
    ("Dead Letter Queue", "gcp", "queues by meaning ('queue'): 'Pub/Sub'"),
    ("Schema Registry", "aws", "nearest by meaning: 'EventBridge Schema'"),
    ("Glue Schema Registry", "aws", "related: 'Glue'")])
def test_nodes_suggests_what_validate_does_for_a_name_of_no_type(tmp_path: Path, query: str,
                                                                provider: str,
                                                                said: str) -> None:
    code, _, err = _run("nodes", query, "-p", provider)
    path = tmp_path / "bp.yaml"
    path.write_text(f"blueprint: 1\ntitle: t\nprovider: {provider}\nnodes:\n"
                    f"  - {{type: {query}}}\n", encoding="utf-8")
    hints = [line for line in _run("validate", str(path))[2].splitlines()
             if line.startswith("  hint:")]
    assert code == 1 and len(hints) == 1 and said in hints[0]
    assert err.splitlines() == [f"no node type matches {query!r}", hints[0]]


def test_a_type_takes_one_version_and_is_looked_up_at_most_twice(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`EC2 1.1 1.1 ...`: each version taken off was looked up again, whose next was taken off
    in turn (400 of them: 30 ms a node, minutes for a file of such nodes)."""
    catalog = load_catalog()
    calls = 0
    real = Catalog.resolve

    def counting(self: Catalog, text: str, providers: Sequence[str] = ()) -> object:
        nonlocal calls
        calls += 1
        return real(self, text, providers)

    monkeypatch.setattr(Catalog, "resolve", counting)
    assert catalog.resolve("EC2 v2", ["aws"]).label == "EC2 v2"
    for written in ("EC2 v1 v2", "EC2" + " 1.1" * 400):
        calls = 0
        with pytest.raises(LookupFailed, match="unknown node type"):
            catalog.resolve(written, ["aws"])
        assert calls == 1  # the name of many versions is no product with a version
