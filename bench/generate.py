"""Generated blueprints for the layout benchmark: any size, the same text for the same
arguments (a seeded random.Random), no `layout.rows`.

The shape is what large blueprints users write look like: an account with a VPC of
subnets, service boxes (some nested two deep) with a flow inside each, an event bus the
services publish to, and a few edges between services.
"""

from __future__ import annotations

import random

TYPES = ["EC2", "Lambda", "ECS", "S3", "SQS", "SNS", "RDS", "DynamoDB", "ElastiCache",
         "Kinesis", "Athena", "Glue", "Redshift", "CloudWatch", "Cognito", "EKS", "Fargate",
         "Aurora", "EFS", "ELB"]


def generate(nodes: int, seed: int = 1) -> str:
    """A blueprint of about `nodes` nodes (YAML text)."""
    rng = random.Random(seed)
    lines = ["blueprint: 1", f"title: Generated {nodes}-node system", "provider: aws",
             "direction: LR", "nodes:", "  - {id: users, type: Users}", "groups:"]
    edges: list[str] = []
    made = 1
    services: list[list[str]] = []

    def box(path: str, depth: int, size: int, indent: str) -> None:
        nonlocal made
        lines.append(f"{indent}  nodes:")
        ids: list[str] = []
        for _ in range(size):
            made += 1
            ids.append(f"n{made}")
            lines.append(f"{indent}    - {{id: n{made}, type: {rng.choice(TYPES)}}}")
        chain = ids[: max(2, len(ids) * 2 // 3)]
        edges.extend(f"  - {a} -> {b}" for a, b in zip(chain, chain[1:], strict=False))
        services.append(ids)
        if depth < 2 and size > 5 and made < nodes and rng.random() < 0.5:
            lines.append(f"{indent}  groups:")
            inner = f"{path}-inner"
            lines.append(f"{indent}    - id: {inner}")
            lines.append(f"{indent}      label: {inner} internals")
            box(inner, depth + 1, max(1, min(nodes - made, rng.randint(2, 5))), indent + "    ")
            edges.append(f"  - {ids[-1]} -> {services[-1][0]}")

    lines += ["  - id: bus", "    label: Event bus", "    nodes:",
              "      - {id: bus-main, type: EventBridge}", "      - {id: bus-dlq, type: SQS}"]
    edges.append("  - bus-main -> bus-dlq")
    made += 2
    vpc_share = nodes // 3
    lines += ["  - id: vpc", "    label: VPC", "    kind: vpc", "    groups:"]
    k = 0
    while made < vpc_share:
        k += 1
        lines += [f"      - id: subnet-{k}", f"        label: Subnet {k}",
                  f"        kind: {'public' if k == 1 else 'private'}-subnet"]
        box(f"subnet-{k}", 1, rng.randint(3, 8), "      ")
    while made < nodes:
        k += 1
        lines += [f"  - id: svc-{k}", f"    label: Service {k}"]
        box(f"svc-{k}", 0, min(nodes - made, rng.randint(3, 10)), "  ")
    edges.append(f"  - users -> {services[0][0]}")
    for ids in services:  # every service publishes to the bus
        if rng.random() < 0.6:
            edges.append(f"  - {ids[-1]} -> bus-main")
    for _ in range(len(services)):
        a, b = rng.sample(services, 2)
        edges.append(f"  - {rng.choice(a)} -> {rng.choice(b)}")
    return "\n".join(lines + ["edges:"] + edges) + "\n"


if __name__ == "__main__":
    import sys

    print(generate(int(sys.argv[1]) if len(sys.argv) > 1 else 50), end="")
