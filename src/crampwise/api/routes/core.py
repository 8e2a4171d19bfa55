"""Engine endpoints: CPU-light and free of blocking I/O, so `async def` (see engineering notes §2.4)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter
from fastapi.responses import Response

from crampwise.api.errors import ApiError, error_responses
from crampwise.api.schemas import (
    AssessmentOut,
    AssessRequest,
    HealthOut,
    InterviewOut,
    InterviewRequest,
    LabsOut,
    LabsRequest,
    TopicOut,
    TopicSummary,
)
from crampwise.model.assessment import plain
from crampwise.render.jsonout import dumps, shallow

T = TypeVar("T")

router = APIRouter(prefix="/v1", tags=["assess"], responses=error_responses(400, 413, 422, 429, 500))

_HEALTH = b'{"status":"ok"}'


def json_response(payload: Any, status: int = 200) -> Response:
    return Response(dumps(payload), status_code=status, media_type="application/json")


def assessment_dict(assessment: Any) -> dict[str, Any]:
    """The assessment document for `dumps`: result dataclasses are serialised in place (orjson),
    which is what keeps a 14 KB answer at ~0.02 ms instead of ~0.18 ms through `to_dict`."""
    return shallow(assessment)


@router.get("/health", response_model=HealthOut, tags=["meta"])
async def health() -> Response:
    """A trivial endpoint (the benchmark's baseline)."""
    return Response(_HEALTH, media_type="application/json")


# A typical description (a few sentences) is assessed in a millisecond or two: inline on the event
# loop is fastest. A long one can take tens of milliseconds or more, so it goes to the threadpool,
# where it cannot stall every other request on this worker.
INLINE_CHARS = 1000


async def _cpu(size: int, func: Callable[..., T], *args: Any) -> T:
    if size <= INLINE_CHARS:
        return func(*args)
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(func, *args)


def _input_error(exc: Exception) -> ApiError:
    return ApiError("input_error", str(exc) or "The input could not be used.")


@router.post("/assess", response_model=None, responses={200: {"model": AssessmentOut}})
async def assess(body: AssessRequest) -> Response:
    """Assess free text (`text`) or a structured profile (`profile`): red flags first, then why."""
    if (body.text is None) == (body.profile is None):
        raise ApiError(
            "validation_error",
            "Send either 'text' or 'profile' (exactly one of them).",
            [{"field": "body", "message": "exactly one of text, profile"}],
        )
    from crampwise.pipeline import InputError, assess_profile, assess_text

    try:
        if body.text is not None:
            assessment = await _cpu(len(body.text), assess_text, body.text)
        else:
            assert body.profile is not None
            profile = body.profile.model_dump(exclude_none=True)
            assessment = await _cpu(len(body.profile.text or ""), assess_profile, profile)
    except InputError as exc:
        raise _input_error(exc) from None
    return json_response(assessment_dict(assessment))


@router.post("/interview", response_model=None, responses={200: {"model": InterviewOut}})
async def interview(body: InterviewRequest) -> Response:
    """Stateless interview: send the text and the answers so far; get the next question (with why it
    is asked) and the current assessment. `done` is true when nothing more is worth asking."""
    from crampwise.interview import step
    from crampwise.pipeline import InputError

    if not body.text and not body.answers:
        raise ApiError(
            "validation_error",
            "Send the description ('text') or at least one answer ('answers').",
            [{"field": "body", "message": "text or answers required"}],
        )
    try:
        size = len(body.text or "") + sum(len(v) for v in body.answers.values())
        result = await _cpu(size, step, body.text or "", dict(body.answers))
    except InputError as exc:
        raise _input_error(exc) from None
    return json_response(
        {
            "question": plain(result.question) if result.question is not None else None,
            "assessment": assessment_dict(result.assessment),
            "done": bool(result.done),
            "understood": list(result.understood),
            "reason": result.reason,
            "notes": list(result.notes),
        }
    )


@router.get("/topics", response_model=list[TopicSummary], tags=["explain"])
async def topics() -> list[TopicSummary]:
    """The topics that can be explained in depth."""
    from crampwise.api.content import topic_summaries

    return [TopicSummary(**t) for t in topic_summaries()]


@router.get("/topics/{slug}", response_model=TopicOut, tags=["explain"], responses=error_responses(404))
async def topic(slug: str) -> TopicOut:
    """One topic: sections of points, each with its sources, and the references cited."""
    from crampwise.api.content import topic_detail

    detail = topic_detail(slug)
    if detail is None:
        raise ApiError("not_found", f"There is no topic called '{slug[:60]}'.")
    return TopicOut(**detail)


@router.post("/labs", response_model=LabsOut, tags=["labs"])
async def labs(body: LabsRequest) -> LabsOut:
    """Read lab results in any unit: status against reference ranges, eGFR, corrected calcium."""
    from crampwise.api.content import interpret_labs

    if not body.text and not body.values:
        raise ApiError(
            "validation_error",
            "Send lab results as 'text' or 'values'.",
            [{"field": "body", "message": "text or values required"}],
        )
    try:
        result = interpret_labs(body.text, [v.model_dump() for v in body.values], body.age, body.sex)
    except ValueError as exc:
        raise _input_error(exc) from None
    return LabsOut(**result)
