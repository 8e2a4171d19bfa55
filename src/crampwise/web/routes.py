"""Routes of the web page. Plain forms in, HTML out; state travels in the forms (stateless server).

Security: Jinja2 autoescaping on every template (user text is always escaped); every POST carries
a CSRF token bound to a random cookie (double submit, HMAC-signed) and cross-site `Origin` /
`Sec-Fetch-Site` are refused; multi-user sessions are signed HttpOnly SameSite cookies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.staticfiles import StaticFiles

from crampwise.api import diary_access, reports
from crampwise.api.deps import LOCAL_USER, StoreHolder
from crampwise.api.security import (
    check_csrf,
    csrf_token,
    hash_token,
    make_session,
    new_csrf_cookie,
    read_session,
)
from crampwise.api.settings import Settings

HERE = Path(__file__).parent
CSRF_COOKIE = "cw_csrf"
SESSION_COOKIE = "cw_session"
MAX_FIELD = 5000

MUSCLES = [
    ("calf", "Calf"),
    ("foot", "Foot"),
    ("toes", "Toes"),
    ("thigh", "Thigh"),
    ("hamstring", "Back of thigh"),
    ("shin", "Shin"),
    ("hand", "Hand"),
    ("other", "Other"),
]
SIDES = [("left", "Left"), ("right", "Right"), ("both", "Both")]
WHEN = [("0", "Just now"), ("30", "30 min ago"), ("120", "2 hours ago"), ("480", "Last night")]
DURATIONS = [
    ("", "Not sure"),
    ("30", "Under a minute"),
    ("120", "1–5 minutes"),
    ("600", "5–15 minutes"),
    ("1800", "Longer"),
]
CONTEXTS = [
    ("", "Not sure"),
    ("asleep", "Asleep / in bed"),
    ("resting", "Resting"),
    ("during_exercise", "During exercise"),
    ("after_exercise", "After exercise"),
    ("standing", "Standing"),
    ("sitting", "Sitting"),
    ("travelling", "Travelling"),
]
TRIAGE_CLASS = {
    "emergency_ambulance": "urgent",
    "emergency": "urgent",
    "consultation_24": "soon",
    "consultation": "routine",
    "self_care": "selfcare",
}


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["TRIAGE_CLASS"] = TRIAGE_CLASS
    return env


@dataclass
class Web:
    settings: Settings
    env: Environment
    holder: StoreHolder

    # --- rendering -------------------------------------------------------------------------------

    def render(self, request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        cookie = request.cookies.get(CSRF_COOKIE)
        new_cookie = None
        if not cookie or len(cookie) > 100:
            cookie = new_cookie = new_csrf_cookie()
        user = self.user(request)
        html = self.env.get_template(name).render(
            csrf=csrf_token(self.settings.secret_key, cookie),
            multi_user=self.settings.multi_user,
            logged_in=user is not None and self.settings.multi_user,
            path=request.url.path,
            **context,
        )
        response = HTMLResponse(html, status_code=status)
        if new_cookie:
            response.set_cookie(
                CSRF_COOKIE,
                new_cookie,
                httponly=True,
                samesite="strict",
                secure=self.settings.secure_cookies,
                path="/",
            )
        return response

    def error(self, request: Request, status: int, title: str, message: str) -> HTMLResponse:
        return self.render(request, "error.html", status=status, title=title, message=message)

    # --- security --------------------------------------------------------------------------------

    async def form(self, request: Request) -> FormData | None:
        """The posted form if it passes the CSRF checks, else None."""
        if not _same_origin(request):
            return None
        form = await request.form()
        token = form.get("csrf")
        if not check_csrf(
            self.settings.secret_key,
            request.cookies.get(CSRF_COOKIE),
            token if isinstance(token, str) else None,
        ):
            return None
        return form

    def csrf_failed(self, request: Request) -> HTMLResponse:
        return self.error(
            request,
            403,
            "This form has expired",
            "For your safety the form could not be accepted. Please go back, reload the page and try again.",
        )

    def user(self, request: Request) -> str | None:
        if not self.settings.multi_user:
            return LOCAL_USER
        return read_session(self.settings.secret_key, request.cookies.get(SESSION_COOKIE))


def _same_origin(request: Request) -> bool:
    """Refuse cross-site posts: browsers say where a request comes from."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True
    if origin == "null":
        return False
    return origin.split("://", 1)[-1] == request.headers.get("host", "")


def _field(form: FormData, name: str, limit: int = MAX_FIELD) -> str:
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


def _answers(form: FormData) -> dict[str, str]:
    answers: dict[str, str] = {}
    for key, value in form.multi_items():
        if key.startswith("answer:") and isinstance(value, str) and len(answers) < 100:
            qid = key[len("answer:") :][:64]
            if qid and value.strip():
                answers[qid] = value.strip()[:500]
    return answers


def mount(app: FastAPI, settings: Settings) -> None:
    web = Web(settings=settings, env=_env(), holder=app.state.store)
    router = APIRouter(include_in_schema=False)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    # --- ask → check → answer → result -----------------------------------------------------------

    @router.get("/", response_class=HTMLResponse)
    async def home(request: Request) -> HTMLResponse:
        return web.render(request, "home.html", text="")

    @router.post("/ask", response_class=HTMLResponse)
    async def ask(request: Request) -> Response:
        form = await web.form(request)
        if form is None:
            return web.csrf_failed(request)
        text = _field(form, "text").strip()
        answers = _answers(form)
        # The question just shown, answered with a radio choice or in words.
        qid = _field(form, "qid", 64)
        reply = _field(form, "choice", 500).strip() or _field(form, "reply", 500).strip()
        if qid and reply:
            answers[qid] = reply
        elif qid and _field(form, "action", 20) == "skip":
            answers[qid] = "don't know"
        if not text and not answers:
            return web.render(
                request,
                "home.html",
                status=422,
                text="",
                problem="Please describe your cramps in a few words first.",
            )
        from crampwise.interview import step
        from crampwise.pipeline import InputError

        try:
            result = step(text, answers)
        except InputError as exc:
            return web.render(request, "home.html", status=422, text=text, problem=str(exc))
        finish = _field(form, "action", 20) == "finish"
        if result.done or finish or result.question is None:
            return web.render(
                request,
                "result.html",
                a=result.assessment,
                text=text,
                answers=answers,
                understood=result.understood,
            )
        return web.render(
            request,
            "step.html",
            notes=list(result.notes),
            text=text,
            answers=answers,
            q=result.question,
            a=result.assessment,
            understood=result.understood,
        )

    # --- explain ---------------------------------------------------------------------------------

    @router.get("/topics", response_class=HTMLResponse)
    async def topics(request: Request) -> HTMLResponse:
        from crampwise.api.content import topic_summaries

        return web.render(request, "topics.html", topics=topic_summaries())

    @router.get("/topics/{slug}", response_class=HTMLResponse)
    async def topic(request: Request, slug: str) -> HTMLResponse:
        from crampwise.api.content import topic_detail

        detail = topic_detail(slug)
        if detail is None:
            return web.error(request, 404, "Not found", "There is no such topic.")
        return web.render(request, "topic.html", topic=detail)

    # --- labs ----------------------------------------------------------------------------------

    @router.get("/labs", response_class=HTMLResponse)
    async def labs_page(request: Request) -> HTMLResponse:
        return web.render(request, "labs.html", text="", age="", sex="", result=None)

    @router.post("/labs", response_class=HTMLResponse)
    async def labs_read(request: Request) -> Response:
        form = await web.form(request)
        if form is None:
            return web.csrf_failed(request)
        from crampwise.api.content import interpret_labs

        text = _field(form, "text").strip()
        age_text = _field(form, "age", 3).strip()
        sex = _field(form, "sex", 6)
        context: dict[str, Any] = {"text": text, "age": age_text, "sex": sex, "result": None}
        age = float(age_text) if age_text.isdigit() and 0 < int(age_text) <= 120 else None
        if age_text and age is None:
            return web.render(
                request, "labs.html", status=422, problem="Age is a number of years.", **context
            )
        if not text:
            return web.render(
                request, "labs.html", status=422, problem="Please type your results first.", **context
            )
        context["result"] = interpret_labs(text, [], age, sex if sex in ("female", "male") else None)
        return web.render(request, "labs.html", **context)

    # --- diary -----------------------------------------------------------------------------------

    def login_redirect() -> RedirectResponse:
        return RedirectResponse("/login", status_code=303)

    @router.get("/diary", response_class=HTMLResponse)
    async def diary(request: Request) -> Response:
        user = web.user(request)
        if user is None:
            return login_redirect()

        def load() -> tuple[list[Any], dict[str, str], list[str]]:
            store = web.holder.get()
            episodes = diary_access.list_all(store, user, newest_first=True)
            charts: dict[str, str] = {}
            lines: list[str] = []
            if episodes:
                try:
                    charts = reports.all_charts(store, user)
                    summary = reports.stats(store, user)
                except Exception:
                    return episodes, {}, []
                rate = summary.get("rate") or {}
                if rate.get("per_week") is not None:
                    lines.append(f"About {rate['per_week']:.1f} cramps a week.")
                for key in ("trend", "night", "severity"):
                    text = (summary.get(key) or {}).get("text")
                    if text:
                        lines.append(str(text))
            return episodes, charts, lines

        episodes, charts, summary = await run_in_threadpool(load)
        return web.render(
            request,
            "diary.html",
            episodes=episodes[:50],
            count=len(episodes),
            charts=charts,
            muscles=MUSCLES,
            sides=SIDES,
            when=WHEN,
            durations=DURATIONS,
            contexts=CONTEXTS,
            lines=summary,
            logged=request.query_params.get("logged") == "1",
            deleted=request.query_params.get("deleted") == "1",
        )

    @router.post("/diary/log")
    async def diary_log(request: Request) -> Response:
        user = web.user(request)
        if user is None:
            return login_redirect()
        form = await web.form(request)
        if form is None:
            return web.csrf_failed(request)
        fields, problem = _episode_fields(form)
        if problem:
            return web.error(request, 422, "Could not log this cramp", problem)
        await run_in_threadpool(diary_access.add, web.holder.get(), user, fields)
        return RedirectResponse("/diary?logged=1#log", status_code=303)

    @router.post("/diary/{episode_id}/delete")
    async def diary_delete(request: Request, episode_id: int) -> Response:
        user = web.user(request)
        if user is None:
            return login_redirect()
        form = await web.form(request)
        if form is None:
            return web.csrf_failed(request)
        ok = 0 < episode_id < 2**62 and await run_in_threadpool(
            diary_access.delete, web.holder.get(), user, episode_id
        )
        if not ok:
            return web.error(request, 404, "Not found", "There is no such diary entry.")
        return RedirectResponse("/diary?deleted=1", status_code=303)

    @router.get("/diary/report.{fmt}")
    async def diary_report(request: Request, fmt: str) -> Response:
        user = web.user(request)
        if user is None:
            return login_redirect()
        store = web.holder.get()
        if fmt == "json":
            import json

            bundle = await run_in_threadpool(reports.fhir_bundle, store, user)
            return Response(
                json.dumps(bundle),
                media_type="application/fhir+json",
                headers={"content-disposition": 'attachment; filename="crampwise-fhir.json"'},
            )
        if fmt not in ("html", "pdf"):
            return web.error(request, 404, "Not found", "There is no such report format.")
        try:
            content = await run_in_threadpool(reports.report, store, user, fmt)
        except reports.FeatureUnavailable as exc:
            return web.error(request, 501, "PDF not available", str(exc))
        media = "application/pdf" if fmt == "pdf" else "text/html; charset=utf-8"
        return Response(
            content,
            media_type=media,
            headers={"content-disposition": f'attachment; filename="crampwise-report.{fmt}"'},
        )

    # --- accounts (multi-user mode) --------------------------------------------------------------

    @router.get("/login", response_class=HTMLResponse)
    async def login_page(request: Request) -> Response:
        if not settings.multi_user:
            return RedirectResponse("/diary", status_code=303)
        return web.render(request, "login.html", allow_signup=settings.allow_signup)

    @router.post("/login")
    async def login(request: Request) -> Response:
        if not settings.multi_user:
            return RedirectResponse("/diary", status_code=303)
        form = await web.form(request)
        if form is None:
            return web.csrf_failed(request)
        token = _field(form, "token", 200).strip()
        user = (
            await run_in_threadpool(web.holder.get().user_for_token_hash, hash_token(token))
            if token
            else None
        )
        if user is None:
            return web.render(
                request,
                "login.html",
                status=401,
                allow_signup=settings.allow_signup,
                problem="That key was not recognised.",
            )
        return _logged_in(str(user))

    @router.post("/signup")
    async def signup(request: Request) -> Response:
        if not (settings.multi_user and settings.allow_signup):
            return web.error(request, 403, "Not available", "New accounts are not accepted here.")
        form = await web.form(request)
        if form is None:
            return web.csrf_failed(request)
        from crampwise.api.routes.accounts import create_account

        user_id, token = await run_in_threadpool(create_account, web.holder.get())
        response = web.render(request, "signed_up.html", token=token)
        _set_session(response, user_id)
        return response

    @router.post("/logout")
    async def logout(request: Request) -> Response:
        form = await web.form(request)
        if form is None:
            return web.csrf_failed(request)
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    def _set_session(response: Response, user_id: str) -> None:
        response.set_cookie(
            SESSION_COOKIE,
            make_session(settings.secret_key, user_id, settings.session_max_age_seconds),
            max_age=settings.session_max_age_seconds,
            httponly=True,
            samesite="lax",
            secure=settings.secure_cookies,
            path="/",
        )

    def _logged_in(user_id: str) -> Response:
        response = RedirectResponse("/diary", status_code=303)
        _set_session(response, user_id)
        return response

    app.include_router(router)


def _episode_fields(form: FormData) -> tuple[dict[str, Any], str | None]:
    muscle = _field(form, "muscle", 20) or "calf"
    if muscle not in dict(MUSCLES):
        return {}, "Please choose where the cramp was."
    fields: dict[str, Any] = {"muscle": muscle}
    side = _field(form, "side", 10)
    if side:
        if side not in dict(SIDES):
            return {}, "Please choose left, right or both."
        fields["side"] = side
    minutes = _field(form, "when", 6) or "0"
    if minutes not in dict(WHEN):
        return {}, "Please choose when it happened."
    fields["started_at"] = diary_access.now_utc() - timedelta(minutes=int(minutes))
    duration = _field(form, "duration", 6)
    if duration:
        if duration not in dict(DURATIONS):
            return {}, "Please choose how long it lasted."
        fields["duration_seconds"] = float(duration)
    severity = _field(form, "severity", 3)
    if severity:
        if not severity.isdigit() or not 0 <= int(severity) <= 10:
            return {}, "Severity is a number from 0 to 10."
        fields["severity"] = int(severity)
    context = _field(form, "context", 20)
    if context:
        if context not in dict(CONTEXTS):
            return {}, "Please choose what you were doing."
        fields["context"] = context
    notes = _field(form, "notes", 2000).strip()
    if notes:
        fields["notes"] = notes
    return fields, None
