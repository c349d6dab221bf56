"""The node catalog: every icon class of the installed diagrams package, and how to find one.

The classes come from the installed package itself (every provider, every module), so a newer
diagrams brings its new icons without a change here. What the package cannot tell us is how
people *say* a service ("Elastic Load Balancer", "SAM", "OpenSearch") and which of several
same-named classes they mean ("APIGateway" is in aws.network and aws.mobile): that is the
curated part below.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from dataclasses import dataclass, field
from functools import lru_cache

import diagrams

# Sub-packages of diagrams that hold no icon classes of their own.
_NOT_PROVIDERS = {"base", "custom", "c4"}

# Common names -> qualified class, with the label a node gets by default. Keys are matched
# after normalisation (case, spaces, dashes and an Amazon/AWS prefix ignored).
COMMON_NAMES: dict[str, tuple[str, str | None]] = {
    "dns": ("aws.network.Route53", None),
    "route 53": ("aws.network.Route53", "Route 53"),
    "api gateway": ("aws.network.APIGateway", "API Gateway"),
    "cognito": ("aws.security.Cognito", "Cognito"),
    "cognito user pools": ("aws.security.Cognito", "Cognito user pools"),
    "load balancer": ("aws.network.ELB", "Elastic Load Balancer"),
    "elastic load balancer": ("aws.network.ELB", "Elastic Load Balancer"),
    "application load balancer": ("aws.network.ALB", "Application Load Balancer"),
    "network load balancer": ("aws.network.NLB", "Network Load Balancer"),
    "elastic compute cloud": ("aws.compute.EC2", "EC2"),
    "elastic container service": ("aws.compute.ECS", "ECS"),
    "elastic kubernetes service": ("aws.compute.EKS", "EKS"),
    "elastic cache": ("aws.database.ElastiCache", "ElastiCache"),
    "elasticache": ("aws.database.ElastiCache", "ElastiCache"),
    "dynamo db": ("aws.database.Dynamodb", "DynamoDB"),
    "dynamodb": ("aws.database.Dynamodb", "DynamoDB"),
    "documentdb": ("aws.database.DocumentDB", "DocumentDB"),
    "opensearch": ("aws.analytics.AmazonOpensearchService", "OpenSearch"),
    "opensearch service": ("aws.analytics.AmazonOpensearchService", "OpenSearch Service"),
    "elasticsearch": ("aws.analytics.ES", "Elasticsearch Service"),
    "simple notification service": ("aws.integration.SNS", "SNS"),
    "simple queue service": ("aws.integration.SQS", "SQS"),
    "eventbridge": ("aws.integration.Eventbridge", "EventBridge"),
    "event bridge": ("aws.integration.Eventbridge", "EventBridge"),
    "step functions": ("aws.integration.StepFunctions", "Step Functions"),
    "simple storage service": ("aws.storage.S3", "S3"),
    "cloudfront": ("aws.network.CloudFront", "CloudFront"),
    "elastic mapreduce": ("aws.analytics.EMR", "EMR"),
    "quicksight": ("aws.analytics.Quicksight", "QuickSight"),
    "redshift": ("aws.analytics.Redshift", "Redshift"),
    "codecommit": ("aws.devtools.Codecommit", "CodeCommit"),
    "codebuild": ("aws.devtools.Codebuild", "CodeBuild"),
    "codedeploy": ("aws.devtools.Codedeploy", "CodeDeploy"),
    "codepipeline": ("aws.devtools.Codepipeline", "CodePipeline"),
    "cloudwatch": ("aws.management.Cloudwatch", "CloudWatch"),
    "cloudtrail": ("aws.management.Cloudtrail", "CloudTrail"),
    "cloudformation": ("aws.management.Cloudformation", "CloudFormation"),
    # diagrams has no SAM icon: the Serverless Application Repository's stands in for it.
    "sam": ("aws.compute.SAR", "SAM"),
    "serverless application model": ("aws.compute.SAR", "SAM"),
    "cdk": ("aws.devtools.CloudDevelopmentKit", "CDK"),
    "cloud development kit": ("aws.devtools.CloudDevelopmentKit", "CDK"),
    "elastic beanstalk": ("aws.compute.ElasticBeanstalk", "Elastic Beanstalk"),
    "beanstalk": ("aws.compute.ElasticBeanstalk", "Elastic Beanstalk"),
    "app runner": ("aws.compute.AppRunner", "App Runner"),
    "lightsail": ("aws.compute.Lightsail", "Lightsail"),
    "appsync": ("aws.integration.Appsync", "AppSync"),
    "virtual private cloud": ("aws.network.VPC", "VPC"),
    "internet gateway": ("aws.network.InternetGateway", "Internet Gateway"),
    "nat gateway": ("aws.network.NATGateway", "NAT Gateway"),
    "identity and access management": ("aws.security.IAM", "IAM"),
    "key management service": ("aws.security.KMS", "KMS"),
    "kinesis": ("aws.analytics.Kinesis", "Kinesis"),
    "secrets manager": ("aws.security.SecretsManager", "Secrets Manager"),
    "web application firewall": ("aws.security.WAF", "WAF"),
    "users": ("onprem.client.Users", "Users"),
    "user": ("onprem.client.User", "User"),
    "client": ("onprem.client.Client", "Client"),
    "kubernetes": ("k8s.infra.Master", "Kubernetes"),
    "postgres": ("onprem.database.PostgreSQL", "PostgreSQL"),
    "mongo": ("onprem.database.MongoDB", "MongoDB"),
    "google kubernetes engine": ("gcp.compute.GKE", "GKE"),
    "cloud run": ("gcp.compute.Run", "Cloud Run"),
    "cloud sql": ("gcp.database.SQL", "Cloud SQL"),
    "cloud storage": ("gcp.storage.GCS", "Cloud Storage"),
    "pub sub": ("gcp.analytics.PubSub", "Pub/Sub"),
    "front door": ("azure.network.FrontDoors", "Front Door"),
    "app service": ("azure.web.AppServices", "App Service"),
    "key vault": ("azure.security.KeyVaults", "Key Vault"),
    "cosmos db": ("azure.database.CosmosDb", "Cosmos DB"),
    "azure functions": ("azure.compute.FunctionApps", "Functions"),
    "application gateway": ("azure.network.ApplicationGateway", "Application Gateway"),
    "bigquery": ("gcp.analytics.Bigquery", "BigQuery"),
}

# When one name matches several classes, the one people mean. Keyed by normalised name.
CANONICAL: dict[str, str] = {
    "apigateway": "aws.network.APIGateway",
    "apigatewayendpoint": "aws.network.APIGatewayEndpoint",
    "appsync": "aws.integration.Appsync",
    "autoscaling": "aws.compute.AutoScaling",
    "commandlineinterface": "aws.devtools.CommandLineInterface",
    "dms": "aws.database.DMS",
    "databasemigrationservice": "aws.database.DatabaseMigrationService",
    "internetgateway": "aws.network.InternetGateway",
    "kinesisvideostreams": "aws.analytics.KinesisVideoStreams",
    "managedservices": "aws.management.ManagedServices",
    "pinpoint": "aws.engagement.Pinpoint",
    "qldb": "aws.database.QLDB",
    "quantumledgerdatabaseqldb": "aws.database.QuantumLedgerDatabaseQldb",
    "redshift": "aws.analytics.Redshift",
    "redshiftdensecomputenode": "aws.analytics.RedshiftDenseComputeNode",
    "redshiftdensestoragenode": "aws.analytics.RedshiftDenseStorageNode",
    "snowball": "aws.storage.Snowball",
    "snowballedge": "aws.storage.SnowballEdge",
    "snowmobile": "aws.storage.Snowmobile",
    "rds": "aws.database.RDS",
    "vpc": "aws.network.VPC",
    "ecs": "aws.compute.ECS",
}

# Default labels for classes whose names read badly when split ("DocumentdbMongodbCompatibility").
DISPLAY_NAMES: dict[str, str] = {
    "aws.network.ElasticLoadBalancing": "Elastic Load Balancer",
    "aws.network.Route53": "Route 53",
    "aws.network.CloudFront": "CloudFront",
    "aws.network.ElbApplicationLoadBalancer": "Application Load Balancer",
    "aws.network.ElbNetworkLoadBalancer": "Network Load Balancer",
    "aws.network.ElbClassicLoadBalancer": "Classic Load Balancer",
    "gcp.analytics.Bigquery": "BigQuery",
    "gcp.analytics.Pubsub": "Pub/Sub",
    "aws.network.APIGateway": "API Gateway",
    "aws.database.DocumentdbMongodbCompatibility": "DocumentDB",
    "aws.database.Dynamodb": "DynamoDB",
    "aws.database.Elasticache": "ElastiCache",
    "aws.analytics.AmazonOpensearchService": "OpenSearch",
    "aws.integration.Eventbridge": "EventBridge",
    "aws.integration.SimpleNotificationServiceSns": "SNS",
    "aws.integration.SimpleQueueServiceSqs": "SQS",
    "aws.integration.Appsync": "AppSync",
    "aws.analytics.Quicksight": "QuickSight",
    "aws.devtools.Codecommit": "CodeCommit",
    "aws.devtools.Codebuild": "CodeBuild",
    "aws.devtools.Codedeploy": "CodeDeploy",
    "aws.devtools.Codepipeline": "CodePipeline",
    "aws.devtools.CloudDevelopmentKit": "CDK",
    "aws.management.Cloudwatch": "CloudWatch",
    "aws.management.Cloudtrail": "CloudTrail",
    "aws.management.Cloudformation": "CloudFormation",
    "aws.compute.ElasticContainerService": "ECS",
    "aws.compute.ElasticKubernetesService": "EKS",
    "aws.compute.ServerlessApplicationRepository": "Serverless Application Repository",
    "aws.storage.SimpleStorageServiceS3": "S3",
}


def normalize(name: str) -> str:
    """Lower case, letters and digits only, without an Amazon/AWS prefix."""
    key = re.sub(r"[^a-z0-9]", "", name.lower())
    for prefix in ("amazon", "aws"):
        if key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix):]
            break
    return key


def split_camel(name: str) -> str:
    """`ElasticLoadBalancing` -> `Elastic Load Balancing`, `EC2Ami` -> `EC2 Ami`."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", name)


@dataclass
class NodeType:
    """One icon class: where it lives and every name it is known by."""

    provider: str
    module: str  # e.g. "network"
    cls_name: str  # the class's own name, e.g. "ElasticLoadBalancing"
    names: list[str] = field(default_factory=list)  # names bound to it in its module
    display: str = ""
    aliases: list[str] = field(default_factory=list)  # curated common names

    @property
    def qualname(self) -> str:
        return f"{self.provider}.{self.module}.{self.cls_name}"

    def qualified(self, name: str) -> str:
        return f"{self.provider}.{self.module}.{name}"


@dataclass(frozen=True)
class Resolved:
    """A type as the generated code imports it, and the label a node gets by default."""

    provider: str
    module: str
    name: str  # the name to import: the one the user wrote, or the curated one
    label: str

    @property
    def qualname(self) -> str:
        return f"{self.provider}.{self.module}.{self.name}"


class LookupFailed(Exception):
    """Raised with the message (and hint) that the validator reports at the type's position."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class Catalog:
    def __init__(self, types: list[NodeType]) -> None:
        self.types = types
        self.providers = sorted({t.provider for t in types})
        # qualified name (any bound name) -> (type, name)
        self.by_qualified: dict[str, tuple[NodeType, str]] = {}
        # exact bound name -> [(type, name)]
        self.by_name: dict[str, list[tuple[NodeType, str]]] = {}
        # normalised name -> [(type, name, label or None)]
        self.by_key: dict[str, list[tuple[NodeType, str, str | None]]] = {}
        for t in types:
            for n in t.names:
                self.by_qualified[t.qualified(n)] = (t, n)
                self.by_name.setdefault(n, []).append((t, n))
                self._index(normalize(n), t, n, None)
            self._index(normalize(t.display), t, t.cls_name, None)
        for common, (qual, label) in COMMON_NAMES.items():
            entry = self.by_qualified.get(qual)
            if entry is None:  # an older or newer diagrams without this class
                continue
            t, n = entry
            t.aliases.append(common)
            self._index(normalize(common), t, n, label, first=True)

    def _index(self, key: str, t: NodeType, name: str, label: str | None,
               first: bool = False) -> None:
        if not key:
            return
        found = self.by_key.setdefault(key, [])
        if any(other is t for other, _, _ in found):
            if first:  # a curated entry's label and name win over the derived one
                found[:] = [e for e in found if e[0] is not t]
            else:
                return
        if first:
            found.insert(0, (t, name, label))
        else:
            found.append((t, name, label))

    def _resolved(self, t: NodeType, name: str, label: str | None) -> Resolved:
        return Resolved(t.provider, t.module, name, label or self.display(t, name))

    def display(self, t: NodeType, name: str) -> str:
        if t.qualname in DISPLAY_NAMES:
            return DISPLAY_NAMES[t.qualname]
        # An alias (ELB, DocumentDB, PostgreSQL) is spelled as people write it; a class name
        # is split into words (ElasticBeanstalk -> Elastic Beanstalk).
        if name != t.cls_name:
            return name
        return t.display

    def resolve(self, text: str, provider: str | None = None) -> Resolved:
        """Find the class a blueprint means by `text`; LookupFailed says why not."""
        name = text.strip()
        if "." in name:
            return self._resolve_qualified(name)
        scopes: list[str | None] = [provider, None] if provider else [None]
        for scope in scopes:
            if scope is None:
                # Across providers, a curated common name says which one people mean
                # (CodePipeline is AWS's, though Alibaba Cloud has a class spelled so).
                curated = [e for e in self.by_key.get(normalize(name), []) if e[2] is not None]
                if curated:
                    return self._resolved(*curated[0])
            exact = [(t, n) for t, n in self.by_name.get(name, []) if _in(t, scope)]
            if exact:
                return self._choose(name, [(t, n, None) for t, n in exact])
            fuzzy = [e for e in self.by_key.get(normalize(name), []) if _in(e[0], scope)]
            if fuzzy:
                return self._choose(name, fuzzy)
        hint = self._suggest(name, provider)
        scope_text = f" (provider {provider!r}, then every provider)" if provider else ""
        raise LookupFailed(f"unknown node type {name!r}{scope_text}", hint)

    def _resolve_qualified(self, name: str) -> Resolved:
        entry = self.by_qualified.get(name)
        if entry is None:
            lowered = {q.lower(): q for q in self.by_qualified}
            if name.lower() in lowered:
                entry = self.by_qualified[lowered[name.lower()]]
        if entry is not None:
            return self._resolved(entry[0], entry[1], None)
        provider = name.split(".", 1)[0]
        if provider not in self.providers:
            raise LookupFailed(
                f"unknown provider {provider!r} in node type {name!r}",
                "providers: " + ", ".join(self.providers),
            )
        hint = _close(name, list(self.by_qualified))
        raise LookupFailed(f"unknown node type {name!r}", hint)

    def _choose(self, name: str, found: list[tuple[NodeType, str, str | None]]) -> Resolved:
        distinct: dict[str, tuple[NodeType, str, str | None]] = {}
        for t, n, label in found:
            distinct.setdefault(t.qualname, (t, n, label))
        if len(distinct) == 1:
            t, n, label = next(iter(distinct.values()))
            return self._resolved(t, n, label)
        canonical = CANONICAL.get(normalize(name))
        if canonical in self.by_qualified:
            want = self.by_qualified[canonical][0]
            for t, _, label in distinct.values():
                if t is want:
                    return self._resolved(t, self.by_qualified[canonical][1], label)
        # The curated table speaks for a common name (first in the index) when only one
        # curated entry matched.
        curated = [e for e in found if e[2] is not None]
        if len({e[0].qualname for e in curated}) == 1:
            t, n, label = curated[0]
            return self._resolved(t, n, label)
        candidates = sorted(t.qualified(n) for t, n, _ in distinct.values())
        providers = {t.provider for t, _, _ in distinct.values()}
        hint = "write one of the qualified names"
        if len(providers) > 1:
            hint += ", or set `provider:` at the top of the blueprint"
        raise LookupFailed(
            f"node type {name!r} is ambiguous: it could be " + ", ".join(candidates), hint)

    def _suggest(self, name: str, provider: str | None) -> str | None:
        pool = [n for n, entries in self.by_name.items()
                if any(_in(t, provider) for t, _ in entries)] if provider else list(self.by_name)
        pool += [c for c in COMMON_NAMES]
        return _close(name, pool)

    def search(self, query: str = "", provider: str | None = None) -> list[NodeType]:
        """Types matching a free-text query, best first: exact names, then prefixes, then words."""
        key = normalize(query)
        words = [normalize(w) for w in query.split() if normalize(w)]
        ranked: list[tuple[int, str, NodeType]] = []
        for t in self.types:
            if provider and t.provider != provider:
                continue
            keys = [normalize(n) for n in t.names] + [normalize(t.display)]
            keys += [normalize(a) for a in t.aliases]
            if not key:
                rank = 3
            elif key in keys:
                rank = 0
            elif any(k.startswith(key) for k in keys):
                rank = 1
            elif any(key in k for k in keys) or (
                words and all(any(w in k for k in keys) for w in words)
            ):
                rank = 2
            else:
                continue
            ranked.append((rank, t.qualname, t))
        ranked.sort(key=lambda r: (r[0], r[1]))
        return [t for _, _, t in ranked]


def _in(t: NodeType, provider: str | None) -> bool:
    return provider is None or t.provider == provider


def _close(word: str, pool: list[str]) -> str | None:
    import difflib

    lowered: dict[str, str] = {}
    for p in sorted(set(pool)):
        lowered.setdefault(p.lower(), p)
    close = difflib.get_close_matches(word.lower(), list(lowered), n=3, cutoff=0.6)
    if not close:
        return None
    return "did you mean " + ", ".join(repr(lowered[c]) for c in close) + "?"


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """Import every provider module of the installed diagrams and index its icon classes."""
    types: list[NodeType] = []
    for provider in sorted(pkgutil.iter_modules(diagrams.__path__), key=lambda m: m.name):
        if not provider.ispkg or provider.name in _NOT_PROVIDERS:
            continue
        package = importlib.import_module(f"diagrams.{provider.name}")
        for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            if module.name.startswith("_"):
                continue
            mod = importlib.import_module(f"diagrams.{provider.name}.{module.name}")
            by_class: dict[type, NodeType] = {}
            for name, obj in vars(mod).items():
                if (
                    name.startswith("_")
                    or not inspect.isclass(obj)
                    or not issubclass(obj, diagrams.Node)
                    or not getattr(obj, "_icon", None)
                    or obj.__module__ != mod.__name__
                ):
                    continue
                t = by_class.get(obj)
                if t is None:
                    t = NodeType(provider.name, module.name, obj.__name__,
                                 display=split_camel(obj.__name__))
                    by_class[obj] = t
                t.names.append(name)
            for t in by_class.values():
                # The class's own name first, then its short aliases (ELB, SNS) sorted.
                t.names.sort(key=lambda n: (n != t.cls_name, n))
                t.display = DISPLAY_NAMES.get(t.qualname, t.display)
            types.extend(sorted(by_class.values(), key=lambda t: t.cls_name))
    return Catalog(types)
