"""The API keeps its published contract: schemathesis, driven by the app's own OpenAPI schema, sends Carla's
(an office coordinator of Lisbon Tours) requests to every operation of the live hub — valid ones, ones about
her real group, malformed ones, and ones without signing in — and every answer must be one the schema
documents: no 500, a documented status code, the documented media type and body shape, and malformed input
refused with a 4xx.
"""

from __future__ import annotations

import asyncio
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from domains.kernel.runtime import Hub
from tests.support.builders import TourGroup, a_tour_group, sign_in
from tests.support.server import CLIENT_TIMEOUT_SECONDS as PATIENCE_SECONDS
from tests.support.server import RunningHub

# Bounded so the whole test stays around a minute or two on a loaded two-core machine.
EXAMPLES_PER_OPERATION = 6
NEGATIVE_EXAMPLES_PER_OPERATION = 3
CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# Operations that end the caller's session get a session of their own.
ENDS_SESSION = {"POST /api/v1/auth/logout"}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass
class Findings:
    failures: dict[str, str] = field(default_factory=dict)
    answered: dict[str, set[int]] = field(default_factory=dict)

    def record(self, label: str, response_status: int) -> None:
        self.answered.setdefault(label, set()).add(response_status)


def fuzz(
    operation: Any,
    findings: Findings,
    *,
    base_url: str,
    session: requests.Session,
    mode: GenerationMode,
    examples: int,
    path_parameters: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    label = f"{operation.method.upper()} {operation.path}"
    checks: list[Callable[..., Any]] = CONFORMANCE + (
        [negative_data_rejection] if mode is GenerationMode.NEGATIVE else []
    )

    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters or None))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        if label in findings.failures:
            return
        try:
            response = case.call_and_validate(
                base_url=base_url, session=session, headers=headers, checks=checks, timeout=PATIENCE_SECONDS
            )
            findings.record(label, response.status_code)
        except (AssertionError, FailureGroup, requests.RequestException) as failure:  # one or more failed checks
            findings.failures[label] = f"[{mode.value}] {failure}"

    try:
        run()
    except Unsatisfiable:
        assert mode is GenerationMode.NEGATIVE, label  # an operation without inputs has nothing to get wrong


def operations(schema: Any) -> list[Any]:
    return [result.ok() for result in schema.get_all_operations()]


def fuzz_everything(
    server_url: str, raw_schema: dict[str, Any], world: TourGroup, scratch_group_id: uuid.UUID, tokens: dict[str, str]
) -> Findings:
    schema = schemathesis.openapi.from_dict(raw_schema)
    findings = Findings()
    address = f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"
    readable = {"group_id": str(world.group.id)}
    # The fuzzer's writes (new dates, a cancellation) go to a group of their own, so reads see a sane one.
    writable = {"group_id": str(scratch_group_id)}
    for operation in operations(schema):
        label = f"{operation.method.upper()} {operation.path}"
        token = tokens["own_session"] if label in ENDS_SESSION else tokens["carla"]
        signed_in = requests.Session()
        signed_in.headers.update({"Authorization": f"Bearer {token}", "X-Forwarded-For": address})
        anonymous = requests.Session()
        anonymous.headers.update({"X-Forwarded-For": address})
        known = writable if operation.method.upper() in WRITES else readable
        own = {name: value for name, value in known.items() if "{" + name + "}" in operation.path}
        common = {"base_url": server_url}
        fuzz(
            operation,
            findings,
            session=signed_in,
            mode=GenerationMode.POSITIVE,
            examples=EXAMPLES_PER_OPERATION,
            **common,
        )
        if own:
            fuzz(
                operation,
                findings,
                session=signed_in,
                mode=GenerationMode.POSITIVE,
                examples=EXAMPLES_PER_OPERATION,
                path_parameters=own,
                **common,
            )
        fuzz(
            operation,
            findings,
            session=signed_in,
            mode=GenerationMode.NEGATIVE,
            examples=NEGATIVE_EXAMPLES_PER_OPERATION,
            **common,
        )
        fuzz(operation, findings, session=anonymous, mode=GenerationMode.POSITIVE, examples=2, **common)
    return findings


async def test_every_answer_of_every_operation_is_one_the_schema_documents(
    server: RunningHub, http: httpx.AsyncClient, hub: Hub
) -> None:
    world = await a_tour_group(hub)
    porto = await a_tour_group(hub, "Porto Autumn", org=world.org)
    tokens = {
        "carla": (await sign_in(http, world.coordinator))["access_token"],
        "own_session": (await sign_in(http, world.coordinator))["access_token"],
    }
    raw_schema = (await http.get("/schema/openapi.json")).json()

    findings = await asyncio.to_thread(fuzz_everything, server.url, raw_schema, world, porto.group.id, tokens)

    assert not findings.failures, "\n\n".join(f"{label}: {failure}" for label, failure in findings.failures.items())
    # The fuzzer reached the operations: Carla's own group answered, strangers were turned away.
    assert 200 in findings.answered["GET /api/v1/groups/{group_id}"]
    assert 401 in findings.answered["GET /api/v1/board"]
