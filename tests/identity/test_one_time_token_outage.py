"""One-time tokens stay single use across a Redis outage, a Redis restart and processes (issue 13,
item 1).

Real processes: ``manage.py shell`` processes sharing the test database, their cache a private
``redis-server`` (:mod:`tests.identity.test_redis_outage`). Used ids lived in the cache only, read
with ``cache.get``: a Redis restarted empty forgot them (a password-reset link worked twice) and a
stopped Redis made ``verify_token`` answer "valid" for a used token.
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from tests.identity.test_redis_outage import private_redis
from tests.identity.test_second_process import ROOT, database_url, manage
from tests.ops.processes import process_env
from tests.passes import sqlite_run_only

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True), sqlite_run_only]

__all__ = ["private_redis"]  # the fixture

ATTEMPT = """
import time
from kit import tokens
time.sleep(max(0.0, {start!r} - time.time()))
try:
    print("RESULT", tokens.{function}({token!r}, purpose="password-reset"))
except tokens.InvalidToken as error:
    print("RESULT", error.reason)
"""


@pytest.fixture
def environment(tmp_path, private_redis):
    env = process_env(
        DATABASE_URL=database_url(tmp_path), TEST_DATABASE_URL=None, CACHE_URL=private_redis.url
    )
    manage(env, "migrate", "--verbosity", "0")
    return env


def make_token(env: dict[str, str]) -> str:
    code = 'from kit import tokens; print("RESULT", tokens.make_token(7, purpose="password-reset"))'
    return result(manage(env, "shell", "-c", code))


def attempt(env: dict[str, str], function: str, token: str) -> str:
    """``function`` (use_token or verify_token) in a new process: the payload or the refusal."""
    return result(manage(env, "shell", "-c", ATTEMPT.format(start=0.0, function=function, token=token)))


def result(output: str) -> str:
    (line,) = [line for line in output.splitlines() if line.startswith("RESULT ")]
    return line.removeprefix("RESULT ")


def test_used_once_across_a_redis_restart_and_outage(environment, private_redis):
    token = make_token(environment)
    assert attempt(environment, "use_token", token) == "7"
    private_redis.restart_empty()
    assert attempt(environment, "verify_token", token) == "used"  # was 7: forgotten with the cache
    assert attempt(environment, "use_token", token) == "used"
    private_redis.stop()
    assert attempt(environment, "verify_token", token) == "used"  # was 7: the error read as a miss
    fresh = make_token(environment)
    assert attempt(environment, "use_token", fresh) == "7"  # usable during the outage, once
    assert attempt(environment, "use_token", fresh) == "used"
    private_redis.start()  # empty
    assert attempt(environment, "verify_token", fresh) == "used"


def test_revoked_across_a_redis_restart(environment, private_redis):
    token = make_token(environment)
    code = f'from kit import tokens; tokens.revoke_token({token!r}, purpose="password-reset")'
    manage(environment, "shell", "-c", code)
    private_redis.restart_empty()
    assert attempt(environment, "use_token", token) == "used"


def test_a_concurrent_double_use_has_one_winner(environment):
    """Four processes use one token at the same instant: exactly one gets its payload."""
    token = make_token(environment)
    start = time.time() + 15  # every process is up by then
    code = ATTEMPT.format(start=start, function="use_token", token=token)
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0] * 4, outputs
    assert sorted(result(stdout) for stdout, _ in outputs) == ["7", "used", "used", "used"], outputs
