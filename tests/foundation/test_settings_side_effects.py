"""Loading the settings has no side effects; Sentry starts once, in the kit's AppConfig.ready()."""

import json
import subprocess
import sys

from tests.ops.processes import ROOT, process_env

DSN = "http://public@127.0.0.1:22999/1"  # never contacted: nothing is reported in these processes

IMPORT_THEN_SETUP = """
import importlib, json, logging, os, sys, threading
import sentry_sdk

calls = []
original_init = sentry_sdk.init
def counting_init(*args, **kwargs):
    calls.append(kwargs.get("dsn"))
    return original_init(*args, **kwargs)
sentry_sdk.init = counting_init

root_handlers = list(logging.getLogger().handlers)
threads = threading.active_count()
settings = importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
after_import = {
    "sentry_active": sentry_sdk.get_client().is_active(),
    "init_calls": len(calls),
    "root_handlers_kept": logging.getLogger().handlers == root_handlers,
    "threads_started": threading.active_count() - threads,
    "log_file_exists": os.path.exists(os.environ["LOG_FILE"]),
    "log_file_setting": str(settings.KIT["LOG_FILE"]),
}

import django
django.setup()
print(json.dumps({
    "after_import": after_import,
    "after_setup": {
        "sentry_active": sentry_sdk.get_client().is_active(),
        "dsn": sentry_sdk.get_client().dsn,
        "init_calls": calls,
        "root_configured": logging.getLogger().handlers != root_handlers,
    },
}))
"""


def run_script(tmp_path, script, **env):
    log_file = tmp_path / "logs" / "service.log"
    environ = process_env(**{"SENTRY_DSN": DSN, "LOG_FILE": str(log_file), "LOG_QUEUE": "true", **env})
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_importing_the_settings_starts_nothing_and_setup_starts_sentry_once(tmp_path):
    (tmp_path / "logs").mkdir()
    report = run_script(tmp_path, IMPORT_THEN_SETUP)
    assert report["after_import"] == {
        "sentry_active": False,
        "init_calls": 0,
        "root_handlers_kept": True,
        "threads_started": 0,
        "log_file_exists": False,
        "log_file_setting": str(tmp_path / "logs" / "service.log"),
    }
    assert report["after_setup"] == {
        "sentry_active": True,
        "dsn": DSN,
        "init_calls": [DSN],
        "root_configured": True,
    }


STARTED_BEFORE_SETUP = """
import json
import sentry_sdk

sentry_sdk.init(dsn="http://own@127.0.0.1:22998/2")
import django
django.setup()
print(json.dumps({"dsn": sentry_sdk.get_client().dsn}))
"""


def test_a_client_started_before_setup_is_left_alone(tmp_path):
    (tmp_path / "logs").mkdir()
    assert run_script(tmp_path, STARTED_BEFORE_SETUP) == {"dsn": "http://own@127.0.0.1:22998/2"}


WITHOUT_DSN = """
import json
import django
import sentry_sdk

django.setup()
print(json.dumps({"sentry_active": sentry_sdk.get_client().is_active()}))
"""


def test_without_a_dsn_sentry_stays_off(tmp_path):
    (tmp_path / "logs").mkdir()
    assert run_script(tmp_path, WITHOUT_DSN, SENTRY_DSN=None) == {"sentry_active": False}
