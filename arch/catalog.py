"""The node catalog: every icon class of the installed diagrams, and the names people use.

Two sources make one naming table, used both by `type:` resolution and by `archgen nodes`:

- the icon classes of the installed diagrams package. Listing them means importing all of
  its ~250 modules (0.2 s), so the list is kept in an index file in the user's cache folder
  (with what names.txt says of the classes), rebuilt only when the installed package changes
  (its module files' sizes and times) or names.txt does: loading it takes about 3 ms;
- `names.txt` next to this module: curated product names, abbreviations, resource-level names
  and default labels, one class a line (see its header).

Resolution looks in the providers the blueprint prefers first, then in every provider. Inside
one provider, a curated name beats a name derived from a class; same-named classes of several
modules go to the module first in alphabetical order unless names.txt says otherwise (the
table of such choices in docs/blueprint.md is checked against this code by a test).
"""

from __future__ import annotations

import importlib.util
import marshal
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from .errors import a_or_an, close_spellings, did_you_mean, initials, meant_hint, split_camel
from .model import GROUP_KINDS, Resolved
from .regular import cache_dir, write_cache

TYPE_CHECKING = False  # not typing's: see arch/__init__.py
if TYPE_CHECKING:
    from typing import Any

NAMES_FILE = Path(__file__).with_name("names.txt")
INDEX_VERSION = 8  # bump when the index's layout changes

# Sub-packages of diagrams that hold no icon classes of their own.
_NOT_PROVIDERS = {"base", "custom", "c4"}

# How each provider's product names may start; the rest of the name is looked up in that
# provider only ("Google Cloud DNS" and "Cloud DNS" are gcp's DNS, "AWS Lambda" is aws's).
PREFIXES: dict[str, tuple[str, ...]] = {
    "aws": ("amazonwebservices", "amazon", "aws"),
    "azure": ("microsoftazure", "azure", "microsoft"),
    "gcp": ("googlecloudplatform", "googlecloud", "google", "gcp", "cloud"),
    "k8s": ("kubernetes", "k8s"),
    "alibabacloud": ("alibabacloud", "alibaba"),
    "oci": ("oraclecloud", "oracle", "oci"),
    "ibm": ("ibmcloud", "ibm"),
    "digitalocean": ("digitalocean",),
}

_VENDORS = {"aws": "AWS", "azure": "Azure", "gcp": "Google Cloud", "k8s": "Kubernetes",
            "alibabacloud": "Alibaba Cloud", "oci": "Oracle Cloud", "ibm": "IBM Cloud",
            "digitalocean": "DigitalOcean", "openstack": "OpenStack", "outscale": "Outscale"}


def vendor(provider: str) -> str:
    """A provider as people name its vendor: `gcp` -> Google Cloud."""
    return _VENDORS.get(provider, provider)


def provider_by_brand(written: str) -> str | None:
    """The provider a vendor's name means (`Amazon` -> aws, `Google Cloud` -> gcp), or None."""
    key = normalize(written)
    return next((p for p, brands in PREFIXES.items() if key in brands and key != "cloud"),
                None)


# A product name followed by its version or generation: `v2`, `Gen2`, `Gen 2`, `2.0`.
_VERSIONED = re.compile(r"(?P<product>.+?)\s+(?P<version>[vV]\d+(?:\.\d+)*|[Gg]en\s?\d+"
                        r"|\d+\.\d+)")
# Words that stay lower case inside a derived label ("Managed Streaming for Kafka").
_SMALL_WORDS = {"and", "for", "on", "of", "the", "to", "with", "in", "at", "by", "a"}
# Providers that are no vendor's cloud: a match there in an AWS blueprint needs no note.
NEUTRAL = {"onprem", "generic", "programming", "saas", "elastic"}


_NOT_KEY = re.compile(r"[^a-z0-9+#]+")


def normalize(name: str) -> str:
    """Lower case, letters, digits, + and # only (C, C++ and C# differ): the key names are
    compared by."""
    return _NOT_KEY.sub("", name.lower())


def other_numbers(word: str) -> list[str]:
    """The other grammatical number of a word or key's last word, as candidates to look up:
    `routetable` -> `routetables`, `Zones` -> `Zone`, `Zon`; `policies` -> `policy`. Short
    keys (EKS, SQS, NATS) are abbreviations or names, not plurals: none."""
    if len(word) < 5:
        return []
    lower = word.lower()
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
        forms = [word[:-1]]
        if lower.endswith("es"):
            forms.append(word[:-2])
        if lower.endswith("ies"):
            forms.append(word[:-3] + ("Y" if word[-3:].isupper() else "y"))
        return forms
    if lower.endswith("y") and lower[-2:-1] not in "aeiou":
        return [word + "s", word[:-1] + "ies"]
    return [word + "s", word + "es"]


def stripped(provider: str, key: str) -> str | None:
    """A key without the provider's brand prefix (`amazons3` -> `s3`), or None."""
    for prefix in PREFIXES.get(provider, ()):
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix):]
    return None


@dataclass
class NodeType:
    """One icon class: where it lives, every name diagrams binds to it, its label."""

    provider: str
    module: str  # e.g. "network"
    cls_name: str  # the class's own name, e.g. "ElasticLoadBalancing"
    names: list[str] = field(default_factory=list)  # names bound to it in its module
    label: str = ""  # the default label (names.txt's first line for it, else derived)
    aliases: list[str] = field(default_factory=list)  # curated names from names.txt
    curated: bool = False  # names.txt has a line for it

    @property
    def qualname(self) -> str:
        return f"{self.provider}.{self.module}.{self.cls_name}"

    def qualified(self, name: str) -> str:
        return f"{self.provider}.{self.module}.{name}"

    @property
    def short(self) -> str:
        """The name people write in code: the shortest bound one (ELB, DocumentDB)."""
        return min(self.names, key=lambda n: (len(n), n != self.cls_name, n))


# Words that tell nothing of what a node is (`Amazon`, `Cloud`): left out of related names.
_VENDOR_WORDS = {"aws", "amazon", "azure", "microsoft", "google", "gcp", "cloud", "service",
                 "services", "the", "and", "for"}


def _typo(written: str, name: str, most: int = 0) -> bool:
    """Whether `written` is `name` with a typo's few edits: a letter left out, added,
    changed or two swapped, one per four letters (optimal string alignment distance); or
    up to three at the end of a word kept two thirds right, in its length (`Quicksite`);
    `most`: at most that many."""
    if written[:1] != name[:1]:  # a typo seldom changes the first letter
        limit = 1
    else:
        limit = max(1, len(written) // 4)
    prefix = next((i for i, (a, b) in enumerate(zip(written, name, strict=False)) if a != b),
                  min(len(written), len(name)))
    if prefix * 3 >= len(written) * 2 and abs(len(written) - len(name)) <= 1:
        limit = max(limit, 3)
    limit = min(limit, most) if most else limit
    if abs(len(written) - len(name)) > limit:
        return False
    before: list[int] = []
    row = list(range(len(name) + 1))
    for i, a in enumerate(written, 1):
        current = [i] + [0] * len(name)
        for j, b in enumerate(name, 1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (a != b))
            if i > 1 and j > 1 and a == name[j - 2] and written[i - 2] == b:
                current[j] = min(current[j], before[j - 2] + 1)
        before, row = row, current
    return row[-1] <= limit


def _typo_of(written: str, name: str) -> bool:
    """Whether a name reads as `name` with a typo: word by word when both have as many words
    (`Cloud WAN` is no typo of `Cloud Map`), else as a whole, one letter off at most (`Cloud
    WAN` is no `Cloudant` either)."""
    for split in (str.split, lambda x: split_camel(x).split()):
        words = [normalize(w) for w in split(written) if normalize(w)]
        others = [normalize(w) for w in split(name) if normalize(w)]
        if len(words) == len(others):
            if len(words) == 1:
                return _typo(words[0], others[0])
            return all(a == b or _typo(a, b) for a, b in zip(words, others, strict=True))
    return _typo(normalize(written), normalize(name), 1)


def _telling_words(name: str) -> list[str]:
    """The words of a name that tell what it is: not a vendor's, not shorter than three
    letters but for an abbreviation written in capitals (`IBM MQ`: `mq`)."""
    return [normalize(w) for w in re.split(r"[\s/_-]+", name)
            if normalize(w) not in _VENDOR_WORDS
            and (len(normalize(w)) >= 3 or len(w) >= 2 and w.isupper())]


@dataclass(frozen=True)
class Suggestion:
    """A hint for an unknown type, and what found it: `meaning` (a group kind, initials, all
    its words), `no icon` (names.txt's product of no icon of its own), `spelling`,
    `category` (the kind of service a word says), `words` (classes sharing a word), `search`
    (where to look: nothing is near)."""

    kind: str
    text: str


class LookupFailed(Exception):
    """Raised with the message (and hint) that the validator reports at the type's position."""

    def __init__(self, message: str, hint: str | None = None,
                 candidates: Sequence[str] = (),
                 suggest: Callable[[], Suggestion] | None = None,
                 product: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.product = product  # the message names a product (one without an icon)
        self._hint = hint
        self.candidates = tuple(candidates)  # the classes an ambiguous name could be
        # A did-you-mean searches every class: it is made only when asked for (the
        # validator asks for a bounded number of names).
        self._suggest = suggest
        self.nothing_near = False  # the hint only says where to look (`archgen nodes`)

    @property
    def costly(self) -> bool:
        return self._suggest is not None

    @property
    def hint(self) -> str | None:
        if self._suggest is not None:
            found, self._suggest = self._suggest(), None
            self._hint, self.nothing_near = found.text, found.kind == "search"
        return self._hint


@dataclass(frozen=True)
class _Entry:
    """One way of naming a class: what to import, the label it gives, how it was found."""

    type: NodeType
    name: str  # the bound name to import
    label: str | None  # None: the class's default label
    curated: bool  # from names.txt (beats names derived from classes)
    exact: str  # the name as spelled in the table, for exact-case preference
    weak: bool = False  # a class's name without its brand or resource word (weaker_names)


@dataclass(frozen=True)
class NameLine:
    """One line of names.txt."""

    line: int
    qualname: str
    label: str
    names: tuple[str, ...]


_COMMENT = re.compile(r"(?:^|\s)#")  # a comment; the # of `C#` is not one


_SPELL = re.compile(r"spell(?:\s+(\w+))?:")  # `spell:` everywhere, `spell aws:` in one provider
# `no icon: NAMES | CLASSES` (`no icon gcp:` Google Cloud's products), `category WORDS:
# WORDS | CLASSES` (see names.txt's header)
_NEAR = re.compile(r"(?:no icon(?:\s+(?P<vendor>[a-z0-9]+))?|category (?P<category>\w[\w ]*)):")


@dataclass(frozen=True)
class NearLine:
    """A `no icon:` line (category "") or a `category NAME:` line of names.txt: names (or
    words) that no class has, and the classes a hint offers for them by meaning."""

    line: int
    category: str
    names: tuple[str, ...]
    classes: tuple[str, ...]
    vendor: str = ""  # `no icon gcp:`: the vendor whose products they are


def read_names(text: str) -> tuple[list[NameLine], list[tuple[str, str]]]:
    """names.txt -> its class lines and its extra spellings as (provider or "" for every
    provider, spelling); ValueError on a bad line."""
    lines, spellings, _ = read_all_names(text)
    return lines, spellings


def read_all_names(text: str) -> tuple[list[NameLine], list[tuple[str, str]], list[NearLine]]:
    """read_names, and the `no icon:` and `category NAME:` lines."""
    lines: list[NameLine] = []
    spellings: list[tuple[str, str]] = []
    near: list[NearLine] = []
    for number, raw in enumerate(text.splitlines(), 1):
        body = _COMMENT.split(raw, 1)[0].strip()
        if not body:
            continue
        spell = _SPELL.match(body)
        if spell:
            spellings += [(spell.group(1) or "", w.strip())
                          for w in body[spell.end():].split(",") if w.strip()]
            continue
        nearest = _NEAR.match(body)
        if nearest:
            names, _, classes = body[nearest.end():].partition("|")
            listed = [tuple(x.strip() for x in part.split(",") if x.strip())
                      for part in (names, classes)]
            if not all(listed):
                raise ValueError(f"names.txt:{number}: expected `no icon: names | classes`")
            near.append(NearLine(number, nearest["category"] or "", listed[0], listed[1],
                                 nearest["vendor"] or ""))
            continue
        parts = [p.strip() for p in body.split("|")]
        if len(parts) != 3 or not parts[0] or not parts[1]:
            raise ValueError(f"names.txt:{number}: expected `class | label | names`")
        names = tuple(n.strip() for n in parts[2].split(",") if n.strip())
        lines.append(NameLine(number, parts[0], parts[1], names))
    return lines, spellings, near


# The last word of a class name that names a resource of a product, not the product:
# Azure's StreamAnalyticsJobs, TimeSeriesInsightsEnvironments, AzureDataExplorerClusters,
# gcp's TranslationAPI. People write the product (`Stream Analytics`).
_RESOURCE_WORDS = {"jobs", "clusters", "environments", "accounts", "namespaces", "workspaces",
                   "servers", "server", "profiles", "api", "apis"}
# ... and these only after two words or more: `IoT Central Applications`, not `App Services`.
_RESOURCE_WORDS_AFTER_TWO = {"services", "applications"}


def weaker_names(provider: str, name: str) -> list[tuple[str, str]]:
    """The keys a class name gives beyond its own, each with the word it drops ("" for
    none): without the provider's brand (`AzureRedHatOpenshift` -> `redhatopenshift`), without
    a last word that names a resource (`StreamAnalyticsJobs` -> `streamanalytics`), both."""
    words = split_camel(name).split()
    forms = [(words, "")]
    last = words[-1].lower() if words else ""
    if (len(words) >= 2 and last in _RESOURCE_WORDS
            or len(words) >= 3 and last in _RESOURCE_WORDS_AFTER_TWO):
        forms.append((words[:-1], words[-1]))
    found: list[tuple[str, str]] = []
    for kept, dropped in forms:
        key = normalize("".join(kept))
        bare = stripped(provider, key)
        found += [(k, dropped) for k in (key, bare) if k and len(k) >= 3]
    own = normalize(name)
    return [(k, d) for k, d in dict.fromkeys(found) if k != own]


def derive_keys(types: list[NodeType]) -> dict[str, list[list[Any]]]:
    """normalised name -> [index of the class, the name] for every name diagrams binds, then
    [index, name, dropped word] for the weaker names of weaker_names (looked up only in a
    provider none of whose classes has that name)."""
    keys: dict[str, list[list[Any]]] = {}
    for i, t in enumerate(types):
        for n in t.names:
            found = keys.setdefault(normalize(n), [])
            if not any(e[0] == i for e in found):
                found.append([i, n])  # as JSON reads it back from the cache
    for i, t in enumerate(types):
        for n in t.names:
            for key, dropped in weaker_names(t.provider, n):
                found = keys.setdefault(key, [])
                if not any(e[0] == i for e in found):
                    found.append([i, n, dropped])
    return keys


def apply_names(types: list[NodeType], text: str) -> dict[str, Any]:
    """What names.txt says about the classes, as plain data (cached with the index):
    labels and aliases by class, curated keys, missing lines, spellings."""
    qualified = {t.qualified(n): (i, n) for i, t in enumerate(types) for n in t.names}
    lines, spellings, near = read_all_names(text)
    labels: dict[int, str] = {}
    aliases: dict[int, list[str]] = {}
    curated: dict[str, list[list[Any]]] = {}  # key -> [class index, name, own label, text]
    missing: list[int] = []  # lines naming a class this diagrams lacks
    for ln in lines:
        found = qualified.get(ln.qualname)
        if found is None:
            missing.append(ln.line)
            continue
        i, n = found
        label = labels.setdefault(i, ln.label)  # the first line gives the class its label
        own = None if ln.label == label else ln.label
        known = aliases.setdefault(i, [])
        for text_ in (ln.label, *ln.names):
            if text_ not in known:
                known.append(text_)
            key = normalize(text_)
            same = curated.setdefault(key, [])
            if key and not any(j == i for j, *_ in same):
                same.append([i, n, own, text_])
    by_provider: dict[str, list[str]] = {}
    for i, label in labels.items():
        by_provider.setdefault(types[i].provider, []).append(label)
    # key -> [category ("" for a product of no icon), [class index, ...]]
    nearest: dict[str, list[Any]] = {}
    no_icon: dict[str, dict[str, str]] = {}  # vendor -> key -> its product as written
    for nl in near:
        if nl.vendor:
            no_icon.setdefault(nl.vendor, {}).update((normalize(n), n) for n in nl.names)
        found_ = [qualified.get(q) for q in nl.classes]
        if None in found_:
            missing.append(nl.line)
        classes = [f[0] for f in found_ if f is not None]
        for name in nl.names:
            nearest.setdefault(normalize(name), [nl.category, classes])
    # Lists, not tuples: the same data as JSON gives back from the cache.
    return {"labels": [[i, t] for i, t in sorted(labels.items())],
            "aliases": [[i, a] for i, a in sorted(aliases.items())],
            "curated": curated, "missing": missing, "nearest": nearest,
            "spelling": _spelling(spellings, by_provider), "no_icon": no_icon}


class Catalog:
    def __init__(self, types: list[NodeType], names_text: str | None = None,
                 derived: dict[str, list[list[Any]]] | None = None,
                 names: dict[str, Any] | None = None) -> None:
        self.types = types
        self.providers = sorted({t.provider for t in types})
        self._names_text = names_text
        # From the classes' names: built once with the index, turned into entries on use.
        self._derived = derive_keys(types) if derived is None else derived
        if names is None:
            names = apply_names(types, self.names_text())
        self._labelled: dict[str, str] = {}
        for i, label in names["labels"]:
            t = types[i]
            t.curated, t.label = True, label
            self._labelled[t.qualname] = label
        for i, aliases in names["aliases"]:
            types[i].aliases = list(aliases)
        self._curated: dict[str, list[list[Any]]] = names["curated"]
        self._missing: list[int] = names["missing"]
        self._nearest_by_key: dict[str, list[Any]] = names["nearest"]
        self.no_icon: dict[str, dict[str, str]] = names["no_icon"]
        self._spellings: dict[str, dict[str, str]] = names["spelling"]
        self._spelling_in: dict[str, dict[str, str]] = {}
        self._by_qualified: dict[str, tuple[NodeType, str]] = {}
        self._modules: dict[tuple[str, str], list[NodeType]] = {}
        self._keys_of: dict[str, str] = {}  # search keys of a class, made on first use
        self._last_search: tuple[str | None, list[NodeType]] = (None, [])
        self._nearest: dict[tuple[str, str], list[str]] = {}  # _foreign_hint's

    def names_text(self) -> str:
        if self._names_text is None:
            return NAMES_FILE.read_text(encoding="utf-8")
        return self._names_text

    @property
    def by_qualified(self) -> dict[str, tuple[NodeType, str]]:
        """Qualified name (by any bound name) -> (class, name); made on first use."""
        if not self._by_qualified:
            self._by_qualified = {t.qualified(n): (t, n) for t in self.types for n in t.names}
        return self._by_qualified

    @property
    def lines(self) -> list[NameLine]:
        return read_names(self.names_text())[0]

    @property
    def missing(self) -> list[int]:
        """The numbers of names.txt's lines naming a class this diagrams lacks."""
        return sorted(self._missing)

    @property
    def curated(self) -> dict[str, list[_Entry]]:
        return {k: self._curated_entries(k) for k in self._curated}

    def _curated_entries(self, key: str) -> list[_Entry]:
        return [_Entry(self.types[i], n, own, True, text)
                for i, n, own, text in self._curated.get(key, ())]

    def entries(self, key: str) -> list[_Entry]:
        """The ways of naming a class that match a key: names.txt's first, then the
        classes' own names (a class once, by its curated entry if it has one), then the
        weaker names of the providers that have no class of that name."""
        found = self._curated_entries(key)
        derived = self._derived.get(key, ())
        for i, n, *_ in (e for e in derived if len(e) == 2):
            t = self.types[i]
            if not any(e.type is t for e in found):
                found.append(_Entry(t, n, None, False, n))
        named = {e.type.provider for e in found}
        for i, n, dropped in (e for e in derived if len(e) == 3):
            t = self.types[i]
            if t.provider not in named:
                found.append(_Entry(t, n, self._weak_label(t, dropped), False, n, weak=True))
        return found

    def _weak_label(self, t: NodeType, dropped: str) -> str | None:
        """The label of a class named without its resource word: the product's
        (`Stream Analytics`, `Device Provisioning Service`); an API keeps its word."""
        label = self.label(t)
        words = label.split()
        if not dropped or dropped.lower() in ("api", "apis") or len(words) < 2 \
                or words[-1].lower() != dropped.lower():
            return None
        if dropped.lower() == "services":
            return " ".join([*words[:-1], "Service"])
        return " ".join(words[:-1])

    @property
    def by_key(self) -> dict[str, list[_Entry]]:
        """Every key with its entries (for the table of canonical choices)."""
        return {k: self.entries(k) for k in {*self._curated, *self._derived}}

    # -- labels -----------------------------------------------------------------------------

    def label(self, t: NodeType) -> str:
        """The class's default label: names.txt's, else its name as words, spelled right."""
        if not t.label:
            t.label = self._derive(t)
        return t.label

    def _derive(self, t: NodeType) -> str:
        # A sub-resource reads after its service's label: IdentityAndAccessManagementIamRole
        # -> "IAM Role", SimpleStorageServiceS3Bucket -> "S3 Bucket".
        best = ""
        for other in self._module_types(t):
            name = other.cls_name
            if (other is not t and other.curated and len(name) > len(best)
                    and t.cls_name.startswith(name) and t.cls_name[len(name)].isupper()):
                best = name
        if best:
            base = self._labelled[t.qualified(best)]
            return f"{base} {self._words(t.cls_name[len(best):], t.provider)}"
        # The longest bound name is the spelled-out one (k8s's Deploy is also Deployment).
        return self._words(max(t.names, key=len), t.provider)

    def _module_types(self, t: NodeType) -> list[NodeType]:
        if not self._modules:
            for x in self.types:
                self._modules.setdefault((x.provider, x.module), []).append(x)
        return self._modules[(t.provider, t.module)]

    def spelling_in(self, provider: str) -> dict[str, str]:
        """normalised word run -> its spelling in a provider's labels (`guardduty` ->
        `GuardDuty` in AWS): the spellings of every provider, then its own."""
        found = self._spelling_in.get(provider)
        if found is None:
            found = self._spellings.get("", {}) | self._spellings.get(provider, {})
            self._spelling_in[provider] = found
        return found

    def _words(self, name: str, provider: str) -> str:
        spelling = self.spelling_in(provider)
        words = split_camel(name).split()
        out: list[str] = []
        i = 0
        while i < len(words):
            for size in (4, 3, 2, 1):  # the longest run of words a known spelling covers
                key = normalize("".join(words[i:i + size]))
                if i + size <= len(words) and key in spelling:
                    out.append(spelling[key])
                    i += size
                    break
            else:
                word = words[i]
                out.append(word.lower() if out and word.lower() in _SMALL_WORDS else word)
                i += 1
        return " ".join(out)

    # -- resolution -------------------------------------------------------------------------

    def _resolved(self, e: _Entry, written: str, note: str | None = None) -> Resolved:
        t = e.type
        # A class written by one of its own names is imported by that name (HAProxy).
        name = written if not e.curated and written in t.names else e.name
        # The label in the number written (`Route Table` for Azure's RouteTables).
        label = renumbered(e.label or self.label(t), normalize(written), t.provider)
        return Resolved(t.provider, t.module, name, label, note)

    def candidates(self, text: str) -> list[_Entry]:
        """Every entry a name could mean, in any provider (a brand prefix limits it to one)."""
        return self._candidates(normalize(text))

    def _candidates(self, key: str) -> list[_Entry]:
        found = self.entries(key)
        for provider in PREFIXES:
            rest = stripped(provider, key)
            if rest is not None:
                found += [e for e in self.entries(rest) if e.type.provider == provider
                          and e not in found]
        return found

    def resolve(self, text: str, providers: Sequence[str] = ()) -> Resolved:
        """Find the class a blueprint means by `text`; LookupFailed says why not.

        `providers` are tried in order (the node's, its groups', the blueprint's), then all.
        """
        name = text.strip()
        if re.fullmatch(r"\w+\.\w+\.\w+", name):
            return self._resolve_qualified(name)
        wanted = list(dict.fromkeys(p for p in providers if p))
        found = self.candidates(name)
        # The other grammatical number (`Route Table` for Azure's RouteTables, `Log Analytics
        # Workspaces`), looked up only where the name as written is not there.
        key = normalize(name)
        forms = other_numbers(key)
        if name[-1:] == "s" and name[-3:-1].isupper():  # an acronym's plural: GPUs, VMs
            forms.append(key[:-1])
        numbers = [e for form in forms for e in self._candidates(form)]
        for scope in wanted:
            for pool in (found, numbers):
                inside = [e for e in pool if e.type.provider == scope]
                if inside:
                    return self._resolved(self._pick(inside, name), name)
        lacking = self._lacking(key, wanted)
        if lacking is not None:
            # The vendor's own product, which diagrams draws no icon of: another vendor's
            # class of that name is another product (`Datastream` in a Google Cloud
            # blueprint was AWS's Kinesis Data Streams, `Workflows` AWS's Step Functions).
            raise LookupFailed(f"{vendor(lacking[0])}'s {lacking[1]!r} has no icon in diagrams",
                               suggest=lambda: self.suggestion(name, wanted), product=True)
        if not found:
            for e in numbers:
                # Another number is a guess: inside the vendors the blueprint names, or
                # outside any vendor's, never another vendor's product.
                if (not wanted or e.type.provider in NEUTRAL) and not any(
                        x.type is e.type and x.name == e.name for x in found):
                    found.append(e)
        if found:
            curated = [e for e in found if e.curated]
            # A vendor-free product (onprem's Kafka, Users) is what a name means outside the
            # vendors that have their own: `Kafka` is MSK in an AWS blueprint, else onprem's.
            neutral = [e for e in curated if e.type.provider in NEUTRAL]
            if len({e.type.provider for e in neutral}) == 1:
                curated = neutral
            # a class's own name beats another provider's weaker one (`Bare Metal`: OCI's
            # BareMetal, not IBM's BareMetalServer less its resource word)
            curated = curated or [e for e in found if not e.weak] or found
            by_provider = {e.type.provider for e in curated}
            if len(by_provider) > 1:
                candidates = sorted({e.type.qualified(e.name) for e in curated})
                hint = "write one of the qualified names"
                if wanted:
                    hint = f"{_scope(wanted)} has no node type of that name; " + hint
                else:
                    hint += ", or set `provider:` at the top of the blueprint"
                raise LookupFailed(f"node type {name!r} is ambiguous: it could be "
                                   + ", ".join(candidates), hint, candidates)
            entry = self._pick(curated, name)
            resolved = self._resolved(entry, name)
            if wanted and entry.type.provider not in NEUTRAL:
                # Another vendor's icon in this vendor's picture: said plainly, with this
                # vendor's nearest classes (`Feature Store` in a gcp blueprint was
                # SageMaker's with a note that did not say whose icon it was).
                return replace(resolved, note=self._foreign_note(name, entry, wanted),
                               note_hint=self._foreign_hint(name, entry, wanted[0]))
            return resolved
        aside = re.fullmatch(r"(?P<product>[^()]*[^()\s])\s*\((?P<aside>[^()]+)\)", name)
        if aside:
            # `Azure Kubernetes Service (AKS)`, as product lists write a name and its short
            # form: the product's class, else the short form's; but one of the blueprint's
            # own provider before another vendor's (`Web (EC2)` in an AWS blueprint was
            # Azure's WebJobs, `Stream (Kinesis)` OCI's Stream).
            noted: list[Resolved] = []
            for part in ("product", "aside"):
                try:
                    resolved = self.resolve(aside[part], providers)
                except LookupFailed:
                    continue
                if resolved.note is None:
                    return resolved
                noted.append(resolved)
            if noted:
                return noted[0]
        versioned = _VERSIONED.fullmatch(name)
        if versioned and not _VERSIONED.fullmatch(versioned["product"]):
            # `Aurora Serverless v2`, `ADLS Gen2`: the product's class, the version kept in
            # its label as written (the table need not list every version of every product).
            # One version: `EC2 1.1 1.1 ...` looked up each shorter name in turn, 30 ms for
            # 400 of them, and a file of such types took minutes to validate.
            try:
                product = self.resolve(versioned["product"], providers)
            except LookupFailed:
                pass
            else:
                return replace(product, label=f"{product.label} {versioned['version']}")
        where = f" ({_scope(wanted)}, then every provider)" if wanted else ""
        raise LookupFailed(f"unknown node type {name!r}{where}",
                           suggest=lambda: self.suggestion(name, wanted))

    def _lacking(self, key: str, wanted: Sequence[str]) -> tuple[str, str] | None:
        """(vendor, product) when a key names, with or without its brand, a product that
        names.txt lists as one of a vendor's in `wanted` without an icon."""
        for provider in wanted:
            products = self.no_icon.get(provider, {})
            for k in (key, stripped(provider, key)):
                if k and k in products:
                    return provider, products[k]
        return None

    def _foreign_note(self, name: str, entry: _Entry, wanted: Sequence[str]) -> str:
        t = entry.type
        return (f"node type {name!r} is drawn with {vendor(t.provider)}'s icon "
                f"{t.qualified(entry.name)} ({(entry.label or self.label(t))!r}): "
                f"{_scope(wanted)} has no node type of that name")

    def _foreign_hint(self, name: str, entry: _Entry, own: str) -> str:
        """This vendor's nearest classes by the words of the name (remembered: a type is
        often written on many nodes), or how to list them."""
        key = (name, own)
        if key not in self._nearest:
            self._nearest[key] = self._by_words(name, [t for t in self.types
                                                       if t.provider == own])
        near = self._nearest[key]
        keep = f"or write `{entry.type.qualified(entry.name)}` to keep " \
               f"{vendor(entry.type.provider)}'s without this note"
        if near:
            return f"{vendor(own)}'s nearest: {', '.join(near)}; {keep}"
        return f"`archgen nodes --provider {own}` lists {vendor(own)}'s icons; {keep}"

    @staticmethod
    def _pick(entries: list[_Entry], written: str) -> _Entry:
        """Inside one provider: the one class named exactly so (SQLDatabase), else a curated
        name, else the module first in alphabetical order."""
        exact = [e for e in entries if written in e.type.names]
        if len({e.type.qualname for e in exact}) == 1:
            return exact[0]
        return min(entries, key=lambda e: (not e.curated, e.weak, e.type.module,
                                           e.type.cls_name))

    def _resolve_qualified(self, name: str) -> Resolved:
        entry = self.by_qualified.get(name)
        if entry is None:
            lowered = {q.lower(): q for q in self.by_qualified}
            if name.lower() in lowered:
                entry = self.by_qualified[lowered[name.lower()]]
        if entry is not None:
            t, n = entry
            return Resolved(t.provider, t.module, n, self.label(t))
        provider = name.split(".", 1)[0]
        if provider not in self.providers:
            raise LookupFailed(
                f"unknown provider {provider!r} in node type {name!r}",
                did_you_mean(provider, self.providers)
                or "providers: " + ", ".join(self.providers))
        # A typo of a class of that provider, else what its class part means there
        # (`gcp.security.DLP`: Security Command Center, as for `DLP`).
        cls_name = name.rsplit(".", 1)[1]
        typos = [q for q in close_spellings(name, {q.lower(): q for q in self.by_qualified
                                                   if q.startswith(f"{provider}.")}, 3)
                 if _typo_of(cls_name, q.rsplit(".", 1)[1])]
        raise LookupFailed(f"unknown node type {name!r}", meant_hint(typos),
                           suggest=None if typos
                           else lambda: self.suggestion(cls_name, [provider]))

    def canonical_choices(self) -> list[tuple[str, str]]:
        """(name, class) for each name names.txt settles between same-named classes of one
        provider: the table in docs/blueprint.md."""
        choices: set[tuple[str, str]] = set()
        for entries in self.by_key.values():
            for e in entries:
                if not e.curated:
                    continue
                rivals = {x.type.qualname for x in entries if not x.curated and not x.weak
                          and x.type.provider == e.type.provider and x.type is not e.type}
                if rivals:
                    choices.add((e.exact, e.type.qualified(e.name)))
        return sorted(choices, key=lambda c: (c[1].split(".")[0], c[0].lower()))

    # -- suggestions ------------------------------------------------------------------------

    def suggest(self, name: str, providers: Sequence[str] = ()) -> str:
        """A hint for an unknown name (see `suggestion`)."""
        return self.suggestion(name, providers).text

    def suggestion(self, name: str, providers: Sequence[str] = ()) -> Suggestion:
        """A hint for an unknown name, never none: by meaning (a group kind, a product of no
        icon of its own, initials, words), by spelling when it reads as a typo, by the
        product a first word names, by the kind of service a word names, by shared words;
        else where to look."""
        key = normalize(name)
        for kind in GROUP_KINDS:  # a box, not a node: `Security Group`, `Region`
            if key == normalize(kind) or (key and stripped("aws", key) == normalize(kind)):
                box = kind.replace("-", " ")
                return Suggestion("meaning", f"{a_or_an(box)} {box} is drawn as a box: a "
                                             f"group with `kind: {kind}`")
        near = self._no_icon(name, providers)
        if near:
            return near
        for scope in [*providers, None]:
            pool = [t for t in self.types if scope is None or t.provider == scope]
            meant = self._by_meaning(name, pool)
            if meant:
                return Suggestion("meaning", "did you mean " + ", ".join(meant) + "?")
            spelled = self._by_spelling(name, pool, with_provider=scope is None
                                        and bool(providers))
            if spelled:
                return Suggestion("spelling", spelled)
        related: list[str] = []
        for scope in [*providers, None]:
            pool = [t for t in self.types if scope is None or t.provider == scope]
            related = self._by_words(name, pool)
            if related:
                break
        words = _telling_words(name)
        # A first word that is a product's whole name (`Glue DataBrew`, `Chime SDK`): its
        # relatives, before the kind of service a later word names.
        product = bool(words) and any(
            f"\n{words[0]}\n" in self._search_keys(t) for t in self._shown_types(related))
        if not product:
            category = self._category(name, providers)
            if category:
                return category
        if related:
            return Suggestion("words", "no node type of that name; related: "
                                       + ", ".join(related))
        own = next((p for p in providers if p in self.providers), None)
        where = (f"`archgen nodes --provider {own}` lists {vendor(own)}'s icons by category"
                 if own else "`archgen nodes` lists every icon, by provider and category")
        return Suggestion("search", f"no node type of that name, nor one close to it: {where}; "
                                    f"or give it an icon of your own (`icon: FILE.png`)")

    def _shown_types(self, shown: list[str]) -> list[NodeType]:
        """The classes of `'Label' (provider.module.Name)` texts."""
        found = []
        for text in shown:
            qualified = text.rsplit("(", 1)[-1].rstrip(")")
            entry = self.by_qualified.get(qualified)
            if entry is not None:
                found.append(entry[0])
        return found

    def _nearest_types(self, indices: list[int], providers: Sequence[str]) -> list[NodeType]:
        """Of a table line's classes, up to three: the blueprint's providers' first (in
        order), then vendor-free ones, then the others."""
        types = [self.types[i] for i in indices]
        order = {p: n for n, p in enumerate(providers)}
        ranked = sorted(types, key=lambda t: (order.get(t.provider, len(order)),
                                              t.provider not in NEUTRAL))
        wanted = [t for t in ranked if t.provider in order or t.provider in NEUTRAL]
        return (wanted or ranked)[:3]

    def _offer(self, types: list[NodeType], written: str, providers: Sequence[str]) -> str:
        """The classes, and the node that draws the name with the first of them."""
        shown = ", ".join(f"{self.label(t)!r} ({t.qualified(t.short)})" for t in types)
        first = types[0]
        try:  # its short name where the blueprint reads it as that class, else qualified
            same = self.by_qualified[self.resolve(first.short, providers).qualname][0] \
                is first
        except LookupFailed:
            same = False
        typed = first.short if same else first.qualified(first.short)
        label = f'"{written}"' if re.search(r"[,:{}\[\]#&*!|>'\"%@`]", written) else written
        return (f"{shown}: write `{{type: {typed}, label: {label}}}`, or give it an icon "
                f"of your own (`icon: FILE.png`)")

    def _no_icon(self, name: str, providers: Sequence[str]) -> Suggestion | None:
        """A product names.txt lists as having no icon of its own (`DLP`, `Signer`)."""
        key = normalize(name)
        keys = [key, *(k for p in PREFIXES if (k := stripped(p, key)))]
        entry = next((self._nearest_by_key[k] for k in keys
                      if k in self._nearest_by_key and not self._nearest_by_key[k][0]), None)
        if entry is None or not entry[1]:
            return None
        types = self._nearest_types(entry[1], providers)
        return Suggestion("no icon", f"diagrams has no icon of {name!r}; nearest by meaning: "
                                     + self._offer(types, name, providers))

    def _category(self, name: str, providers: Sequence[str]) -> Suggestion | None:
        """The kind of service a word of the name says (`IBM MQ`: a queue), by names.txt's
        `category` lines: that kind's icons, the blueprint's providers' first."""
        for word in reversed(_telling_words(name)):  # the head of a compound comes last
            for form in (word, *other_numbers(word)):
                entry = self._nearest_by_key.get(form)
                if entry is not None and entry[0] and entry[1]:
                    types = self._nearest_types(entry[1], providers)
                    return Suggestion("category", f"no node type of that name; {entry[0]} "
                                                  f"by meaning ({word!r}): "
                                                  + self._offer(types, name, providers))
        return None

    def _by_words(self, name: str, pool: list[NodeType]) -> list[str]:
        """The types that share the most telling words with an unknown name, earlier words
        counting more (`Glue Schema Registry` -> Glue's types): a lead where neither meaning
        nor spelling finds one."""
        words = [w for w in _telling_words(name) if len(w) >= 3]
        if not words:
            return []
        scored: dict[str, tuple[int, bool, int]] = {}
        for t in pool:
            keys = self._search_keys(t)
            # A word that starts or ends a name counts twice one found inside a name
            # (`build` is CodeBuild's, hardly OfficeBuilding's).
            score = sum((len(words) - i) * (2 if f"\n{w}" in keys or f"{w}\n" in keys else 1)
                        for i, w in enumerate(words) if w in keys)
            if score:
                label = self.label(t)
                shown = f"{label!r} ({t.qualified(t.short)})"
                scored[shown] = max(scored.get(shown, (0, False, 0)),
                                    (score, t.curated, -len(label)))
        best = sorted(scored, key=lambda s: scored[s], reverse=True)
        top = scored[best[0]][0] if best else 0
        return [s for s in best if scored[s][0] * 2 > top][:3]

    def _by_meaning(self, name: str, pool: list[NodeType]) -> list[str]:
        key = normalize(name)
        words = [normalize(w) for w in re.split(r"[\s/_-]+", name) if normalize(w)]
        hits: list[str] = []
        for t in pool:
            if not t.curated:
                continue
            label = self.label(t)
            texts = [label, *t.aliases]
            if len(key) >= 2 and any(initials(x) == key for x in texts):
                hits.append(f"{label!r} ({t.qualified(t.short)})")
            elif words and all(any(w in normalize(x) for x in texts) for w in words):
                hits.append(f"{label!r} ({t.qualified(t.short)})")
        return hits[:3]

    def _by_spelling(self, name: str, pool: list[NodeType], with_provider: bool
                     ) -> str | None:
        spellings: dict[str, str] = {}
        owner: dict[str, str] = {}  # what is shown -> its class
        for t in pool:
            for text in [*t.names, *t.aliases]:
                if text.lower() not in spellings:
                    shown = f"{text} ({t.provider})" if with_provider else text
                    spellings[text.lower()] = shown
                    owner[shown] = t.qualname
        # stricter than for keys and ids: among thousands of class names, 0.6 is noise; and
        # a typo's few letters, not another word (`Audit Manager` is no `Patch Manager`)
        close = [c for c in close_spellings(name, spellings, 12, cutoff=0.75)
                 if _typo_of(name, c.rsplit(" (", 1)[0] if with_provider else c)]
        # The closest spelling of each class: three spellings of one class are no choice.
        firsts = {owner[c]: c for c in reversed(close)}
        return meant_hint([c for c in close if firsts[owner[c]] == c][:3])

    # -- search -----------------------------------------------------------------------------

    def _search_keys(self, t: NodeType) -> str:
        """The search keys of a class, each after a newline: one string, so that a query is
        matched against all of them at once (`in`)."""
        keys = self._keys_of.get(t.qualname)
        if keys is None:
            found = [normalize(n) for n in (*t.names, *t.aliases, self.label(t))]
            found += [k2 for k in found if (k2 := stripped(t.provider, k))]
            keys = "".join(f"\n{k}" for k in dict.fromkeys(found)) + "\n"
            self._keys_of[t.qualname] = keys
        return keys

    def search(self, query: str = "", provider: str | None = None) -> list[NodeType]:
        """Types matching a free-text query, best first: the class `type: QUERY` resolves to
        (in a blueprint whose provider is `provider`: from another provider when that one
        has no such name, as `onprem.compute.Server` for `Server` in AWS), then `provider`'s
        exact names, prefixes and words; curated (product) classes before the others."""
        first: NodeType | None = None
        if normalize(query):
            try:
                r = self.resolve(query, [provider] if provider else [])
                first = self.by_qualified[r.qualname][0]
            except LookupFailed:
                pass
        found = [t for t in self._matches(query)
                 if t is not first and (provider is None or t.provider == provider)]
        return [first, *found] if first else found

    def _matches(self, query: str) -> list[NodeType]:
        """Every type matching a query as text, best first (one query's list is kept: the
        same query is often searched in several providers)."""
        if self._last_search[0] == query:
            return self._last_search[1]
        key = normalize(query)
        if query.strip() and not key:  # only characters no name is made of: `(`, `*`, `ÄÖ`
            return []
        words = [normalize(w) for w in query.split() if normalize(w)]
        ranked: list[tuple[int, bool, int, str, NodeType]] = []
        for t in self.types:
            keys = self._search_keys(t)
            if not key:
                rank = 3
            elif f"\n{key}\n" in keys:
                rank = 0
            elif f"\n{key}" in keys:
                rank = 1
            elif key in keys or (words and all(w in keys for w in words)):
                rank = 2
            else:
                continue
            if key:  # the product before its parts: EFS before EFSInfrequentaccessPrimaryBg
                ranked.append((rank, not t.curated, len(t.cls_name), t.qualname, t))
            else:  # the whole catalog, in the order of its modules
                ranked.append((rank, False, 0, t.qualname, t))
        ranked.sort(key=lambda r: r[:4])
        self._last_search = (query, [r[4] for r in ranked])
        return self._last_search[1]


def renumbered(label: str, written: str, provider: str) -> str:
    """A label with its last word in the number of the name written (a key, with or without
    its brand prefix), if that is all that differs: `Route Tables` written `routetable` ->
    `Route Table`."""
    keys = {written, stripped(provider, written)}
    return next((text for text in other_numbers(label) if normalize(text) in keys), label)


def _scope(providers: Sequence[str]) -> str:
    """`provider 'aws'`, or `provider 'k8s' or 'aws'` for a group's inside the blueprint's."""
    return "provider " + " or ".join(repr(p) for p in providers)


def _spelling(extra: Iterable[tuple[str, str]],
              labels: dict[str, list[str]]) -> dict[str, dict[str, str]]:
    """provider ("" for every one) -> normalised word run -> how it is spelled: `aws` ->
    `guardduty` -> `GuardDuty`. A label teaches its provider (AWS's WorkSpaces is not Azure's
    Workspaces); a vendor-free product's label teaches every provider (MongoDB)."""
    spelling: dict[str, dict[str, str]] = {"": {}}
    for provider, texts in sorted(labels.items()):
        scope = spelling.setdefault("" if provider in NEUTRAL else provider, {})
        for label in texts:
            for word in label.split():
                # Only words with a capital inside (DynamoDB, CloudWatch, IoT) teach a spelling.
                if re.search(r"[a-z][A-Z]|^[A-Z]{2,}[a-z]|^[a-z]+[A-Z]", word) \
                        and "." not in word:
                    scope.setdefault(normalize(word), word)
    for provider, word in extra:
        spelling.setdefault(provider, {})[normalize(word)] = word
    return spelling


# -- the index of icon classes ------------------------------------------------------------


def _package_dir() -> Path:
    spec = importlib.util.find_spec("diagrams")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the diagrams package is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def _fingerprint(package: Path) -> str:
    """What identifies the installed diagrams: each provider module's path, size and time
    (kept whole in the cache and compared whole: no digest that two versions could share)."""
    parts = [f"{INDEX_VERSION}:{package}"]
    for entry in sorted(os.scandir(package), key=lambda e: e.name):
        if not entry.is_dir() or entry.name in _NOT_PROVIDERS or entry.name.startswith("_"):
            continue
        for module in sorted(os.scandir(entry.path), key=lambda e: e.name):
            if module.name.endswith(".py"):
                st = module.stat()
                parts.append(f"{entry.name}/{module.name}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(parts)


def build_index() -> list[list[Any]]:
    """Import every provider module of diagrams: [provider, module, class, [names]] rows."""
    import inspect
    import pkgutil

    import diagrams

    rows: list[list[Any]] = []
    for provider in sorted(pkgutil.iter_modules(diagrams.__path__), key=lambda m: m.name):
        if not provider.ispkg or provider.name in _NOT_PROVIDERS:
            continue
        package = importlib.import_module(f"diagrams.{provider.name}")
        for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            if module.name.startswith("_"):
                continue
            mod = importlib.import_module(f"diagrams.{provider.name}.{module.name}")
            by_class: dict[type, list[str]] = {}
            for name, obj in vars(mod).items():
                if (
                    not name.startswith("_")
                    and inspect.isclass(obj)
                    and issubclass(obj, diagrams.Node)
                    and getattr(obj, "_icon", None)
                    and obj.__module__ == mod.__name__
                ):
                    by_class.setdefault(obj, []).append(name)
            for cls, names in sorted(by_class.items(), key=lambda kv: kv[0].__name__):
                # The class's own name first, then its short aliases (ELB, SNS) sorted.
                names.sort(key=lambda n: (n != cls.__name__, n))
                rows.append([provider.name, module.name, cls.__name__, names])
    return rows


def load_index(names_text: str | None = None) -> tuple[
        list[NodeType], dict[str, list[list[Any]]], dict[str, Any]]:
    """The classes of the installed diagrams, their names' keys and what names.txt says of
    them: from the cache, else built (by importing diagrams, 0.2 s) and cached. The cache is
    one file per installed diagrams (by its folder), holding what it was made from: the
    package's fingerprint and names.txt, compared whole. When only names.txt changed, the
    classes are taken from it without importing diagrams."""
    text = NAMES_FILE.read_text(encoding="utf-8") if names_text is None else names_text
    package = _package_dir()
    fingerprint = _fingerprint(package)
    # crc32 only names the file: what it holds is checked whole. Plain values in Python's
    # marshal format (of this Python: its tag names the file): read in a third of the time
    # JSON took, without importing json.
    tag = sys.implementation.cache_tag
    path = cache_dir() / f"catalog-{zlib.crc32(str(package).encode()):08x}.{tag}.marshal"
    rows: list[list[Any]] | None = None
    try:
        data = marshal.loads(path.read_bytes())
        if data["fingerprint"] == fingerprint:
            if data["names_text"] == text:
                return types_from(data["rows"]), data["keys"], data["names"]
            rows = data["rows"]
            types = types_from(rows)  # only names.txt changed
    except (OSError, EOFError, ValueError, KeyError, TypeError):
        rows = None
    if rows is None:
        rows = build_index()
        types = types_from(rows)
    keys = derive_keys(types)
    names = apply_names(types, text)
    try:  # a cache that cannot be written only costs the next run the same time
        write_cache(path, marshal.dumps({"fingerprint": fingerprint, "names_text": text,
                                         "rows": rows, "keys": keys, "names": names}))
    except OSError:
        pass
    return types, keys, names


def types_from(rows: list[list[Any]]) -> list[NodeType]:
    """Index rows -> classes. A damaged cache fails here (TypeError, ValueError) and is
    rebuilt; a cache of the wrong shape from a bug would fail the tests."""
    return [NodeType(p, m, c, list(names)) for p, m, c, names in rows]


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """The naming table of the installed diagrams (the class index is cached on disk)."""
    types, keys, names = load_index()
    return Catalog(types, derived=keys, names=names)
