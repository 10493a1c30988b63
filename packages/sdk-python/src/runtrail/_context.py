"""The current run and task (``contextvars``), and task scopes: ``with``, ``async with``, decorators.

Context variables follow asyncio tasks (each task starts with a copy of its
creator's context) and ``asyncio.to_thread``; a plain ``threading.Thread`` starts
empty, so pass ``contextvars.copy_context().run`` as its target to carry them.
"""

from __future__ import annotations

import functools
import inspect
from contextvars import ContextVar, Token
from typing import Any, Callable, List, Optional, Tuple, TypeVar, cast

from ._core import MISSING
from .errors import InvalidArgumentError

#: The run state (``RunState``) of the innermost ``with run:`` or task scope.
run_var: ContextVar[Optional[Any]] = ContextVar("runtrail_run", default=None)
#: The task handle of the innermost task scope.
task_var: ContextVar[Optional[Any]] = ContextVar("runtrail_task", default=None)

F = TypeVar("F", bound=Callable[..., Any])


def current_run() -> Any:
    """The run of the innermost ``with run:`` or task scope here (a ``Run`` or ``AsyncRun``), or None."""
    state = run_var.get()
    return None if state is None else state.recorder.handle_of(state)


def current_task() -> Any:
    """The task of the innermost task scope here (a ``Task`` or ``AsyncTask``), or None."""
    return task_var.get()


def ambient_parent(state: Any) -> Optional[str]:
    """The current task's id when it belongs to the run ``state``: a new task nests under it."""
    task = task_var.get()
    return task.id if task is not None and task.run_state is state else None


def enter(state: Any, task: Any) -> Tuple[Token[Any], Token[Any]]:
    return run_var.set(state), task_var.set(task)


def leave(tokens: Tuple[Token[Any], Token[Any]]) -> None:
    task_var.reset(tokens[1])
    run_var.reset(tokens[0])


class TaskScope:
    """A task started on entry and ended on exit: completed, or failed with the exception.

    Use it as ``with``, ``async with`` or a decorator (each call of the function is a
    new task, whatever thread or asyncio task calls it). A task the body already ended
    (``t.skip()``) is left as it is. One scope object serves one ``with`` block at a time:
    write ``with run.task(...)`` where the block is, rather than sharing a scope object
    between threads.

    Example::

        with run.task("summarise", input={"pages": 3}) as t:
            t.log("working")

        @runtrail.task()          # the current run; the name is the function's
        def parse_pdf(path): ...
    """

    __slots__ = ("_run", "_name", "_input", "_parent", "_entries")

    def __init__(self, run: Any, name: Optional[str], input: Any, parent: Any) -> None:
        """``run``: a run handle, or None for the current run at entry; ``parent``: MISSING for the current task."""
        self._run = run
        self._name = name
        self._input = input
        self._parent = parent
        self._entries: List[Tuple[Any, Tuple[Token[Any], Token[Any]]]] = []

    def _handle(self, what: str) -> Any:
        if self._run is not None:
            return self._run
        run = current_run()
        if run is None:
            raise InvalidArgumentError(f"runtrail.task(): no current run for {what}; use `with run:` or run.task().")
        return run

    def _start_sync(self, run: Any, name: str) -> Any:
        task = run.start_task_now(name, self._input, parent_task_id=self._parent)
        return task, enter(task.run_state, task)

    async def _start_async(self, run: Any, name: str) -> Any:
        start = run.start_task(name, self._input, parent_task_id=self._parent)
        task = await start if inspect.isawaitable(start) else start
        return task, enter(task.run_state, task)

    def __enter__(self) -> Any:
        entry = self._start_sync(self._handle(repr(self._name)), self._need_name())
        self._entries.append(entry)
        return entry[0]

    def __exit__(self, kind: Any, error: Optional[BaseException], tb: Any) -> bool:
        task, tokens = self._entries.pop()
        leave(tokens)
        _end_sync(task, error)
        return False

    async def __aenter__(self) -> Any:
        entry = await self._start_async(self._handle(repr(self._name)), self._need_name())
        self._entries.append(entry)
        return entry[0]

    async def __aexit__(self, kind: Any, error: Optional[BaseException], tb: Any) -> bool:
        task, tokens = self._entries.pop()
        leave(tokens)
        await _end_async(task, error)
        return False

    def _need_name(self) -> str:
        if self._name is None:
            raise InvalidArgumentError("task(): give a name (only a decorator takes the function's).")
        return self._name

    def __call__(self, fn: F) -> F:
        name = self._name if self._name is not None else getattr(fn, "__qualname__", None) or repr(fn)
        scope = self

        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                run = scope._run if scope._run is not None else current_run()
                if run is None:  # a decorated function called outside any run runs untraced
                    return await fn(*args, **kwargs)
                task, tokens = await scope._start_async(run, name)
                try:
                    result = await fn(*args, **kwargs)
                except BaseException as error:
                    leave(tokens)
                    await _end_async(task, error)
                    raise
                leave(tokens)
                await _end_async(task, None)
                return result

            return cast(F, run_async)

        @functools.wraps(fn)
        def run_sync(*args: Any, **kwargs: Any) -> Any:
            run = scope._run if scope._run is not None else current_run()
            if run is None:
                return fn(*args, **kwargs)
            task, tokens = scope._start_sync(run, name)
            try:
                result = fn(*args, **kwargs)
            except BaseException as error:
                leave(tokens)
                _end_sync(task, error)
                raise
            leave(tokens)
            _end_sync(task, None)
            return result

        return cast(F, run_sync)


def _end_sync(task: Any, error: Optional[BaseException]) -> None:
    if task.status != "running":
        return
    if error is None:
        task.complete_now()
    else:
        task.fail_now(error)


async def _end_async(task: Any, error: Optional[BaseException]) -> None:
    if task.status != "running":
        return
    done = task.complete() if error is None else task.fail(error)
    if inspect.isawaitable(done):
        await done


def task(name: Optional[str] = None, input: Any = MISSING) -> TaskScope:
    """A task on the current run (see :func:`current_run`), nested under the current task.

    As a decorator the name defaults to the function's ``__qualname__``, and a call
    outside any run runs the function untraced. ``with``/``async with`` need a current
    run (``InvalidArgumentError`` otherwise).

    Example::

        @runtrail.task()
        async def fetch_page(url): ...

        with client.start_run(name="crawl") as run:
            with runtrail.task("plan") as t:
                t.update(progress=0.5)
    """
    return TaskScope(None, name, input, MISSING)
