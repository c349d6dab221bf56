"""The node catalog: built from the installed diagrams, plus curated names."""

from __future__ import annotations

import importlib
import marshal
import re
from pathlib import Path
from typing import Any

import pytest

from arch import catalog as catalog_module
from arch.catalog import (
    NAMES_FILE,
    Catalog,
    LookupFailed,
    apply_names,
    build_index,
    derive_keys,
    load_catalog,
    load_index,
    normalize,
    types_from,
)

# Every service of the seed notes, by the name the notes use, and what it must become.
SEED = {
    "Route53": "aws.network.Route53",
    "API Gateway": "aws.network.APIGateway",
    "Cognito": "aws.security.Cognito",
    "Elastic Load Balancer": "aws.network.ELB",
    "EC2": "aws.compute.EC2",
    "Lambda": "aws.compute.Lambda",
    "ECS": "aws.compute.ECS",
    "EKS": "aws.compute.EKS",
    "ElastiCache": "aws.database.ElastiCache",
    "Elastic Cache": "aws.database.ElastiCache",
    "Aurora": "aws.database.Aurora",
    "RDS": "aws.database.RDS",
    "DynamoDB": "aws.database.Dynamodb",
    "DocumentDB": "aws.database.DocumentDB",
    "OpenSearch": "aws.analytics.AmazonOpensearchService",
    "SNS": "aws.integration.SNS",
    "SQS": "aws.integration.SQS",
    "EventBridge": "aws.integration.Eventbridge",
    "Step Functions": "aws.integration.StepFunctions",
    "S3": "aws.storage.S3",
    "CloudFront": "aws.network.CloudFront",
    "EMR": "aws.analytics.EMR",
    "Athena": "aws.analytics.Athena",
    "Redshift": "aws.analytics.Redshift",
    "QuickSight": "aws.analytics.Quicksight",
    "CodeCommit": "aws.devtools.Codecommit",
    "Code Commit": "aws.devtools.Codecommit",
    "CodeBuild": "aws.devtools.Codebuild",
    "CodeDeploy": "aws.devtools.Codedeploy",
    "CodePipeline": "aws.devtools.Codepipeline",
    "CloudWatch": "aws.management.Cloudwatch",
    "CloudTrail": "aws.management.Cloudtrail",
    "Amplify": "aws.mobile.Amplify",
    "SAM": "aws.compute.SAR",
    "CloudFormation": "aws.management.Cloudformation",
    "Cloud Formation": "aws.management.Cloudformation",
    "CDK": "aws.devtools.CloudDevelopmentKit",
    "Elastic Beanstalk": "aws.compute.ElasticBeanstalk",
    "App Runner": "aws.compute.AppRunner",
    "Lightsail": "aws.compute.Lightsail",
    "AppSync": "aws.integration.Appsync",
    "VPC": "aws.network.VPC",
}


# Names that more than one vendor uses: without `provider:` they are ambiguous on purpose.
VENDOR_NEUTRAL_AMBIGUOUS = {"VPC", "API Gateway"}


@pytest.mark.parametrize("provider", ["aws", None])
@pytest.mark.parametrize("name,qualname", sorted(SEED.items()))
def test_every_seed_service_resolves(name: str, qualname: str, provider: str | None) -> None:
    if provider is None and name in VENDOR_NEUTRAL_AMBIGUOUS:
        with pytest.raises(LookupFailed, match="ambiguous"):
            load_catalog().resolve(name)
        return
    assert load_catalog().resolve(name, [provider] if provider else []).qualname == qualname


def test_sam_is_labelled_sam() -> None:
    assert load_catalog().resolve("SAM", ["aws"]).label == "SAM"


@pytest.mark.parametrize("text,qualname,label", [
    ("aws.network.ELB", "aws.network.ELB", "Elastic Load Balancer"),
    ("ELB", "aws.network.ELB", "Elastic Load Balancer"),
    ("elastic-load-balancer", "aws.network.ELB", "Elastic Load Balancer"),
    ("route 53", "aws.network.Route53", "Route 53"),
    ("Amazon S3", "aws.storage.S3", "S3"),
    ("AWS Lambda", "aws.compute.Lambda", "Lambda"),
    ("APIGateway", "aws.network.APIGateway", "API Gateway"),
    ("k8s.compute.Pod", "k8s.compute.Pod", "Pod"),
    ("onprem.database.PostgreSQL", "onprem.database.PostgreSQL", "PostgreSQL"),
    ("ElasticBeanstalk", "aws.compute.ElasticBeanstalk", "Elastic Beanstalk"),
])
def test_ways_of_writing_a_type(text: str, qualname: str, label: str) -> None:
    resolved = load_catalog().resolve(text, ["aws"])
    assert (resolved.qualname, resolved.label) == (qualname, label)


def test_provider_is_looked_up_first() -> None:
    catalog = load_catalog()
    assert catalog.resolve("RDS", ["alibabacloud"]).qualname == "alibabacloud.database.RDS"
    assert catalog.resolve("RDS", ["aws"]).qualname == "aws.database.RDS"
    assert catalog.resolve("VPC", ["gcp"]).qualname == "gcp.network.VPC"
    # The node's own provider, then its group's, then the blueprint's.
    assert catalog.resolve("VPC", ["gcp", "aws"]).qualname == "gcp.network.VPC"
    assert catalog.resolve("Lambda", ["gcp", "aws"]).qualname == "aws.compute.Lambda"


def test_ambiguous_name_lists_candidates() -> None:
    with pytest.raises(LookupFailed) as info:
        load_catalog().resolve("VPC")
    message = info.value.message
    assert "ambiguous" in message
    assert "aws.network.VPC" in message and "gcp.network.VPC" in message
    assert info.value.hint is not None and "set `provider:`" in info.value.hint


def test_unknown_name_suggests() -> None:
    with pytest.raises(LookupFailed) as info:
        load_catalog().resolve("Lamda", ["aws"])
    assert info.value.hint is not None and "'Lambda'" in info.value.hint


def test_a_spelling_hint_names_each_class_once() -> None:
    # 'Kinesis Firehose', 'Kinesis Data Firehose' and 'KinesisDataFirehose' are one class:
    # the hint listed all three, as if there were three to choose from.
    catalog = load_catalog()
    with pytest.raises(LookupFailed) as info:
        catalog.resolve("Kinesis Firehouse", ["aws"])
    hint = info.value.hint
    assert hint is not None and hint.startswith("did you mean '")
    named = re.findall(r"'([^']+)'", hint)
    classes = [catalog.resolve(n, ["aws"]).qualname for n in named]
    assert "aws.analytics.KinesisDataFirehose" in classes
    assert len(classes) == len(set(classes)), hint


def test_unknown_qualified_name() -> None:
    with pytest.raises(LookupFailed) as info:
        load_catalog().resolve("aws.network.Route54")
    assert info.value.hint is not None and "aws.network.Route53" in info.value.hint
    with pytest.raises(LookupFailed) as info:
        load_catalog().resolve("nope.network.X")
    assert "unknown provider 'nope'" in info.value.message


def test_catalog_covers_every_provider_and_imports() -> None:
    catalog = load_catalog()
    assert {"aws", "gcp", "azure", "k8s", "onprem", "generic"} <= set(catalog.providers)
    assert len(catalog.types) > 1500
    for t in catalog.types[::97]:  # a sample: each qualified name imports
        module = importlib.import_module(f"diagrams.{t.provider}.{t.module}")
        for name in t.names:
            assert getattr(module, name).__name__ == t.cls_name


def test_search_finds_load_balancer() -> None:
    found = [t.qualified(n) for t in load_catalog().search("load balancer", "aws")
             for n in t.names]
    assert "aws.network.ELB" in found[:3]


def test_search_ranks_exact_names_first() -> None:
    assert load_catalog().search("s3", "aws")[0].qualname == "aws.storage.SimpleStorageServiceS3"


def test_normalize() -> None:
    assert normalize("Amazon Elastic-Load Balancer") == "amazonelasticloadbalancer"
    assert normalize("AWS") == "aws"


def test_index_is_cached_per_installed_diagrams(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    built: list[int] = []
    real = catalog_module.build_index

    def counting() -> list[list[Any]]:
        built.append(1)
        return real()

    monkeypatch.setattr(catalog_module, "build_index", counting)
    first = load_index()
    [cached] = list((tmp_path / "archgen").glob("catalog-*"))
    second = load_index()
    assert built == [1]  # the second run read the file
    assert first == second
    assert marshal.loads(cached.read_bytes())["rows"][0][:3] == [
        first[0][0].provider, first[0][0].module, first[0][0].cls_name]
    cached.write_bytes(b"{not marshal")  # a damaged cache is rebuilt, not trusted
    assert load_index() == first and built == [1, 1]
    cached.write_bytes(marshal.dumps({"rows": [[1]], "keys": {}}))  # so is one of the wrong shape
    assert load_index() == first and built == [1, 1, 1]
    # Another names.txt: the classes taken from the cache without importing.
    text = catalog_module.NAMES_FILE.read_text() + "aws.compute.EC2 | EC2 | Box\n"
    types, keys, names = load_index(text)
    assert built == [1, 1, 1] and types == first[0] and names != first[2]
    assert [p.name for p in (tmp_path / "archgen").glob("catalog-*")] == [cached.name]
    assert Catalog(types, derived=keys, names=names).resolve("Box", ["aws"]).name == "EC2"
    assert load_index() == first and built == [1, 1, 1]  # and back
    # Another installed diagrams (its fingerprint differs): never taken for this one's.
    data = marshal.loads(cached.read_bytes())
    cached.write_bytes(marshal.dumps({**data, "fingerprint": data["fingerprint"] + "x"}))
    assert load_index() == first and built == [1, 1, 1, 1]


def test_cached_index_matches_the_installed_package(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache holds what importing diagrams finds, what names.txt says of it, and the
    keys derived from it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    load_index()  # writes the cache
    types, keys, names = load_index()  # reads it
    fresh = types_from(build_index())
    assert types == fresh
    assert keys == derive_keys(fresh)
    assert names == apply_names(fresh, NAMES_FILE.read_text())
    cached, built = Catalog(types, derived=keys, names=names), Catalog(fresh)
    assert [(t.qualname, t.label, t.aliases) for t in cached.types] == [
        (t.qualname, t.label, t.aliases) for t in built.types]


def test_a_changed_package_gets_a_new_index(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "diagrams"
    (fake / "aws").mkdir(parents=True)
    module = fake / "aws" / "compute.py"
    module.write_text("x = 1\n")
    before = catalog_module._fingerprint(fake)
    module.write_text("x = 1\ny = 2\n")  # an upgrade rewrites the modules
    assert catalog_module._fingerprint(fake) != before


def test_unwritable_cache_still_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where the folder would be
    assert load_index()[0]


def test_validate_imports_no_provider_module(tmp_path: Path) -> None:
    """The naming table comes from the cached index: checking a blueprint imports none of
    diagrams' provider modules (the generated program imports the ones it uses)."""
    import subprocess
    import sys

    code = ("import sys; from arch.validate import load_blueprint; "
            "load_blueprint('blueprints/aws-web-app.yaml'); "
            "print(sorted(m for m in sys.modules if m.startswith('diagrams.')))")
    root = Path(__file__).parent.parent
    subprocess.run([sys.executable, "-c", "from arch.catalog import load_catalog; "
                    "load_catalog()"], cwd=root, check=True)  # the cache exists
    out = subprocess.run([sys.executable, "-c", code], cwd=root, check=True,
                         capture_output=True, text=True).stdout
    assert out.strip() == "[]"
