"""The Bicep templates against the code, without the Bicep CLI (it cannot be installed here).

What is checked, and from where:

- every app setting ``shared/config.py`` reads (its fields' validation aliases) is set in the
  Function App's ``appSettings`` and in ``local.settings.sample.json``, and neither sets a
  name the code does not read, apart from the host settings listed below;
- the tables, queues and Blob containers the code names (found by reading ``shared/`` and
  ``functions/``, plus ``<queue>-poison`` for every queue trigger) are exactly the ones the
  template creates;
- secrets reach the app only as Key Vault references, production defaults are the safe
  ones, and the identity holds exactly the four data-plane roles.

The reader is a few regular expressions over the Bicep text: tolerant of layout, strict about
names. ``test_the_checks_notice_a_removed_setting`` keeps it honest.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import yaml
from pydantic import AliasChoices, SecretStr

from shared.config import Settings

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"
MAIN = INFRA / "main.bicep"
APP = INFRA / "modules" / "functionapp.bicep"
ROLES = INFRA / "modules" / "roles.bicep"
SAMPLE = ROOT / "local.settings.sample.json"

# Settings read by the Functions host or the Azure SDK, not by shared/config.py.
HOST_SETTINGS_AZURE = {
    "AzureWebJobsStorage__credential",  # identity-based host storage: use a managed identity...
    "AzureWebJobsStorage__clientId",  # ...this one (user-assigned)
    "AZURE_CLIENT_ID",  # DefaultAzureCredential in the app's own storage clients picks the same identity
    "APPLICATIONINSIGHTS_CONNECTION_STRING",  # the host's telemetry (and OpenTelemetry when configured)
}
HOST_SETTINGS_LOCAL = {
    "FUNCTIONS_WORKER_RUNTIME",  # the local host; Flex Consumption takes it from functionAppConfig.runtime
    "AzureWebJobsFeatureFlags",  # worker indexing for the v2 programming model, locally
}
# Fields the code reads that Azure deliberately leaves unset.
UNSET_IN_AZURE = {
    "storage_connection": "a connection string holds a key; Azure reaches storage with the identity instead",
}


# ---- the code's side ------------------------------------------------------------------------


def setting_names() -> dict[str, tuple[str, ...]]:
    """Each Settings field and the environment names that set it, from the validation aliases."""
    names: dict[str, tuple[str, ...]] = {}
    for field_name, field in Settings.model_fields.items():
        alias = field.validation_alias
        if isinstance(alias, AliasChoices):
            names[field_name] = tuple(str(choice) for choice in alias.choices)
        elif isinstance(alias, str):
            names[field_name] = (alias,)
        else:
            raise AssertionError(f"Settings.{field_name} has no environment name")
    return names


def secret_settings() -> set[str]:
    """Names of the settings typed SecretStr: these must come from Key Vault."""
    secret_fields = {
        name for name, field in Settings.model_fields.items() if SecretStr in _types_of(field.annotation)
    }
    return {alias for name in secret_fields for alias in setting_names()[name]}


def _types_of(annotation: object) -> set[object]:
    return {annotation, *getattr(annotation, "__args__", ())}


_STORAGE_CALLS = {
    "table": "tables",
    "get_table_client": "tables",
    "queue": "queues",
    "get_queue_client": "queues",
    "container": "containers",
    "get_container_client": "containers",
}


def storage_names_in_code() -> dict[str, set[str]]:
    """Tables, queues and containers named in shared/ and functions/, by reading the source.

    A call such as ``storage.table(JOBS)`` or ``get_container_client(DATASETS_CONTAINER)`` names a
    resource through a module-level string constant, and so does a repository's ``TABLE = SERVERS``
    (``shared/storage/base.py`` opens it); ``queue_trigger(queue_name=...)`` names a
    queue the host reads, whose poison queue (``<queue>-poison``) the host writes to.
    """
    trees = [ast.parse(path.read_text(), str(path)) for folder in ("shared", "functions")
             for path in sorted((ROOT / folder).rglob("*.py"))]
    constants: dict[str, str] = {}
    for tree in trees:
        for node in tree.body:
            if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                    and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
                name = node.targets[0].id
                if name.isupper():
                    assert constants.get(name, node.value.value) == node.value.value, f"{name} means two things"
                    constants[name] = node.value.value

    def value(node: ast.expr) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name) and node.id.isupper():
            return constants[node.id]
        if isinstance(node, ast.JoinedStr):
            parts = [value(part.value) if isinstance(part, ast.FormattedValue) else value(part) for part in node.values]
            return None if None in parts else "".join(str(part) for part in parts)
        return None  # a parameter (``name``): the call site that passes a constant is found instead

    found: dict[str, set[str]] = {"tables": set(), "queues": set(), "containers": set()}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for statement in node.body:
                    if (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                            and isinstance(statement.targets[0], ast.Name) and statement.targets[0].id == "TABLE"
                            and (name := value(statement.value)) is not None):
                        found["tables"].add(name)
            if not isinstance(node, ast.Call):
                continue
            if isinstance(node.func, ast.Name) and node.func.id == "queue_name":  # a sharded family's first queue
                kind = "queues"
            elif isinstance(node.func, ast.Attribute):
                kind = _STORAGE_CALLS.get(node.func.attr)
            else:
                continue
            if kind and node.args and (name := value(node.args[0])) is not None:
                found[kind].add(name)
            if isinstance(node.func, ast.Attribute) and node.func.attr == "queue_trigger":
                for keyword in node.keywords:
                    if keyword.arg == "queue_name" and (name := value(keyword.value)) is not None:
                        found["queues"] |= {name, name if name.endswith("-poison") else f"{name}-poison"}
    return found


# ---- the template's side --------------------------------------------------------------------


def _strip_comments(text: str) -> str:
    return re.sub(r"//[^\n]*", "", text)


def app_settings(bicep: str) -> dict[str, str]:
    """The ``appSettings`` array of the site: name -> the Bicep expression of its value."""
    text = _strip_comments(bicep)
    start = re.search(r"\bappSettings\s*:\s*(?:concat\(\s*)?\[", text)
    assert start, "no appSettings array"
    depth, end = 1, start.end()
    while depth:
        depth += {"[": 1, "]": -1}.get(text[end], 0)
        end += 1
    body = text[start.end():end - 1]
    entries = re.findall(r"\{\s*name\s*:\s*'([^']+)'\s*,?\s*value\s*:\s*(.+?)\s*\}", body)
    names = [name for name, _ in entries]
    assert len(names) == len(set(names)), "a setting is set twice"
    assert len(entries) == body.count("name:"), "an appSettings entry the reader did not understand"
    return dict(entries)


def string_array(bicep: str, variable: str) -> list[str]:
    """``var <variable> = [ 'a' 'b' ]`` as a list."""
    match = re.search(rf"\bvar\s+{variable}\s*=\s*\[(.*?)\]", _strip_comments(bicep), re.S)
    assert match, f"no var {variable}"
    return re.findall(r"'([^']+)'", match.group(1))


def variable(bicep: str, name: str) -> str:
    match = re.search(rf"^\s*var\s+{name}\s*=\s*(.+)$", _strip_comments(bicep), re.M)
    assert match, f"no var {name}"
    return match.group(1).strip()


def coverage_problems(set_names: set[str], host_settings: set[str], unset: set[str]) -> list[str]:
    """What is wrong with a set of app setting names, against shared/config.py."""
    fields = setting_names()
    read = {alias for aliases in fields.values() for alias in aliases}
    problems = [
        f"{field} ({' or '.join(aliases)}) is not set"
        for field, aliases in fields.items()
        if field not in unset and not set_names & set(aliases)
    ]
    problems += [f"{name} is set but nothing reads it"
                 for name in sorted(set_names - read - host_settings)]
    return problems


# ---- the tests ------------------------------------------------------------------------------


def test_bicep_sets_every_setting_the_code_reads_and_nothing_else() -> None:
    names = set(app_settings(APP.read_text()))
    assert coverage_problems(names, HOST_SETTINGS_AZURE, set(UNSET_IN_AZURE)) == []


def test_the_sample_sets_every_setting_the_code_reads_and_nothing_else() -> None:
    names = set(json.loads(SAMPLE.read_text())["Values"])
    assert coverage_problems(names, HOST_SETTINGS_LOCAL, set()) == []


def test_the_checks_notice_a_removed_setting() -> None:
    """The reader and the check catch a setting dropped from the template, and one too many."""
    text = APP.read_text()
    line = next(line for line in text.splitlines() if "'CLOUDPLANE_LOG_LEVEL'" in line)
    dropped = set(app_settings(text.replace(line, "")))
    assert "CLOUDPLANE_LOG_LEVEL" not in dropped
    assert coverage_problems(dropped, HOST_SETTINGS_AZURE, set(UNSET_IN_AZURE)) == [
        "log_level (CLOUDPLANE_LOG_LEVEL) is not set"
    ]
    extra = dropped | {"CLOUDPLANE_LOG_LEVEL", "CLOUDPLANE_NOT_A_SETTING"}
    assert coverage_problems(extra, HOST_SETTINGS_AZURE, set(UNSET_IN_AZURE)) == [
        "CLOUDPLANE_NOT_A_SETTING is set but nothing reads it"
    ]


def test_host_reaches_storage_with_the_identity_and_no_connection_string() -> None:
    settings = app_settings(APP.read_text())
    assert settings["AzureWebJobsStorage__credential"] == "'managedidentity'"
    assert settings["AzureWebJobsStorage__clientId"] == settings["AZURE_CLIENT_ID"] == "identityClientId"
    assert settings["AzureWebJobsStorage__accountName"] == "storageAccountName"
    assert not {"AzureWebJobsStorage", "CLOUDPLANE_STORAGE"} & set(settings)
    assert "allowSharedKeyAccess: false" in (INFRA / "modules" / "storage.bicep").read_text()
    assert "allowSharedKeyAccess: false" in (INFRA / "modules" / "package-storage.bicep").read_text()


def test_secrets_are_key_vault_references_only() -> None:
    text = APP.read_text()
    settings = app_settings(text)
    secrets = secret_settings()
    assert {"CLOUDPLANE_ADMIN_KEY", "CLOUDPLANE_CREDENTIALS_KEY", "CLOUDPLANE_CREDENTIALS_KEY_PREVIOUS"} <= secrets
    for name in secrets:
        expression = settings[name]
        assert re.fullmatch(r"[A-Za-z]+", expression), f"{name} is not set from a variable"
        definition = variable(text, expression)
        reference = r"'@Microsoft\.KeyVault\(SecretUri=\$\{(\w+)\}\)'"
        # A reference, or (the previous key, outside a rotation) empty when its secret does not exist.
        assert re.fullmatch(reference, definition) or re.fullmatch(
            rf"empty\((\w+)\) \? '' : {reference}", definition
        ), name
    assert "keyVaultReferenceIdentity: identityId" in text
    main = MAIN.read_text()
    for parameter in ("adminKey", "credentialsKey", "credentialsKeyPrevious"):
        assert re.search(rf"@secure\(\)\s*(@\w+\([^)]*\)\s*)*param {parameter} string", main), parameter
    assert "@secure()" not in re.sub(r"@secure\(\)\s*(@\w+\([^)]*\)\s*)*param \w+ string", "", main)
    assert not re.search(r"output\s+\w+\s+string\s*=\s*(adminKey|credentialsKey)", main)


def test_production_defaults_are_the_safe_ones() -> None:
    settings = app_settings(APP.read_text())
    assert settings["CLOUDPLANE_ALLOW_PRIVATE_ENDPOINTS"] == "'false'"
    assert settings["CLOUDPLANE_CORS_ORIGINS"] == "corsOrigins"
    assert re.search(r"param corsOrigins string = ''", MAIN.read_text())
    assert settings["CLOUDPLANE_ALLOWED_NETWORKS"] == "allowedNetworks"
    assert re.search(r"param allowedNetworks string = ''", MAIN.read_text())
    assert "cors:" not in _strip_comments(APP.read_text())  # no platform CORS in front of the app's


def test_job_attempts_match_the_hosts_dequeue_count() -> None:
    host = json.loads((ROOT / "host.json").read_text())
    match = re.search(r"param jobMaxAttempts int = (\d+)", MAIN.read_text())
    assert match and int(match.group(1)) == host["extensions"]["queues"]["maxDequeueCount"]


def generated_work_queues(bicep: str) -> set[str]:
    """The names ``var workQueueShards`` and ``var workPoisonShards`` generate (``[for i in range(1, n): ...]``)."""
    names: set[str] = set()
    for variable_name, suffix in (("workQueueShards", ""), ("workPoisonShards", "-poison")):
        match = re.search(
            rf"\bvar\s+{variable_name}\s*=\s*\[for i in range\(1, (\d+)\): 'jobs-\$\{{i\}}{suffix}'\]", bicep
        )
        assert match, variable_name
        names |= {f"jobs-{index}{suffix}" for index in range(1, 1 + int(match.group(1)))}
    return names


def test_the_template_creates_the_tables_queues_and_containers_the_code_uses() -> None:
    code = storage_names_in_code()
    main = MAIN.read_text()
    # The work queues past 'jobs' get their triggers in a loop (functions/jobs.py, when
    # CLOUDPLANE_WORK_QUEUES > 1), which the reader cannot evaluate: the app's own list of them
    # stands in (tests/unit/test_shards.py checks the triggers declared on them).
    from shared.jobs.shards import work_queue_names

    shards = set(work_queue_names()[1:])
    code["queues"] |= shards | {f"{name}-poison" for name in shards}
    # The reader of the code finds what it must (it would find nothing if the calls changed shape).
    from shared.api.ratelimit import RATE_LIMITS
    from shared.jobs import activity, store

    assert {store.JOBS, store.BATCHES, store.IDEMPOTENCY, activity.ACTIVE, RATE_LIMITS} <= code["tables"]
    assert {store.WORK_QUEUE, f"{store.WORK_QUEUE}-poison", store.EVENTS_QUEUE} <= code["queues"]
    assert {store.RESULTS_CONTAINER, store.PAYLOADS_CONTAINER} <= code["containers"]
    for kind in ("tables", "queues", "containers"):
        declared = string_array(main, kind)
        assert len(declared) == len(set(declared)), kind
        if kind == "queues":
            declared += sorted(generated_work_queues(main))
            assert "var allQueues = concat(queues, workQueueShards, workPoisonShards, eventQueueShards)" in main
            assert re.search(r"queues: allQueues", main)
        assert set(declared) == code[kind], kind
    # The events queues past 'job-events' follow CLOUDPLANE_EVENT_QUEUES, as the engine names them.
    assert "var eventQueueShards = [for i in range(1, eventQueues - 1): 'job-events-${i}']" in main
    # Jobs accounts 1.. hold the jobs' own tables and every queue, no container.
    assert string_array(main, "jobTables") == [store.JOBS, store.BATCHES, store.IDEMPOTENCY]
    loop = r"module jobStorage 'modules/storage.bicep' = \[for name in jobAccountNames: \{(.*?)\n\}\]"
    job_storage = re.search(loop, main, re.S)
    assert job_storage and "tables: jobTables" in job_storage.group(1) and "queues: allQueues" in job_storage.group(1)
    assert "containers: []" in job_storage.group(1)


def test_each_jobs_account_connection_is_the_one_the_triggers_and_the_app_read() -> None:
    """functions/jobs.py names ``CLOUDPLANE_JOBS_ACCOUNT_<k>`` as the connection of the queues in
    account k, and deps builds the app's clients from the same settings: the template sets them."""
    from shared.config import JOB_ACCOUNT_CONNECTION, job_account_connection

    text = APP.read_text()  # not stripped of comments: the URI holds "//"
    prefix = JOB_ACCOUNT_CONNECTION.format("${i + 1}")
    for property_name, value in (
        ("accountName", "account"),
        ("queueServiceUri", "'https://${account}.queue.${environment().suffixes.storage}'"),
        ("credential", "'managedidentity'"),
        ("clientId", "identityClientId"),
    ):
        assert f"{{ name: '{prefix}__{property_name}', value: {value} }}" in text, property_name
    assert "], jobAccountSettings)" in text
    assert job_account_connection(0) == "AzureWebJobsStorage"
    assert job_account_connection(2) == "CLOUDPLANE_JOBS_ACCOUNT_2"


def test_storage_module_creates_every_listed_resource() -> None:
    text = _strip_comments((INFRA / "modules" / "storage.bicep").read_text())
    for kind, child in (("tables", "tableServices/tables"), ("queues", "queueServices/queues"),
                        ("containers", "blobServices/containers")):
        assert re.search(rf"'Microsoft\.Storage/storageAccounts/{child}@[\d-]+' = \[for \w+ in {kind}:", text), kind


def test_the_identity_holds_exactly_the_data_plane_roles_it_uses() -> None:
    text = _strip_comments(ROLES.read_text())
    roles = dict(re.findall(r"(\w+):\s*'([0-9a-f-]{36})'", text))
    assert roles == {
        "tableDataContributor": "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
        "queueDataContributor": "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
        "blobDataContributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
        "keyVaultSecretsUser": "4633458b-17de-408a-b874-0445c86b69e6",
    }
    assignments = re.findall(r"roleAssignments@[\d-]+' = \{(.*?)\n\}", text, re.S)
    assert len(assignments) == 5  # three on the state account, one on the package container, one on the vault
    # Each jobs account of the sharded layout: its tables and queues, nothing else.
    looped = re.findall(r"roleAssignments@[\d-]+' = \[for \(name, i\) in jobAccountNames: \{(.*?)\n\}\]", text, re.S)
    assert len(looped) == 2 and len(re.findall(r"roleAssignments@", text)) == 7
    assert {re.search(r"roles\.(\w+)\)", body).group(1) for body in looped} == {  # type: ignore[union-attr]
        "tableDataContributor",
        "queueDataContributor",
    }
    for body in looped:
        assert re.search(r"scope:\s*jobStorage\[i\]\s*$", body, re.M) and "principalId: principalId" in body
    for body in assignments:
        assert re.search(r"scope:\s*(storage|vault|packageStorage::blobService::container)\s*$", body, re.M), body
        assert "principalId: principalId" in body
    assert "resourceGroup()" not in text and "subscription()" not in text


def test_function_app_is_flex_consumption_on_python_3_11() -> None:
    text = _strip_comments(APP.read_text())
    assert re.search(r"name:\s*'FC1'\s*tier:\s*'FlexConsumption'", text)
    assert re.search(r"runtime:\s*\{\s*name:\s*'python'\s*version:\s*'3\.11'", text)
    for parameter in ("instanceMemoryMB", "maximumInstanceCount", "alwaysReady"):
        assert re.search(rf"{parameter}: {parameter}\b", text), parameter
    assert "'azd-service-name': 'api'" in text


def test_azure_yaml_deploys_the_function_app_from_the_root() -> None:
    config = yaml.safe_load((ROOT / "azure.yaml").read_text())
    assert config["services"] == {"api": {"project": ".", "language": "python", "host": "function"}}
    assert config["infra"] == {"provider": "bicep", "path": "infra", "module": "main"}
    parameters = json.loads((INFRA / "main.parameters.json").read_text())["parameters"]
    declared = set(re.findall(r"^param (\w+)", MAIN.read_text(), re.M))
    assert set(parameters) <= declared
    assert {"environmentName", "location", "adminKey", "credentialsKey"} <= set(parameters)


def test_ci_runs_make_check_and_deploys_only_main_with_oidc() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    text = (ROOT / ".github" / "workflows" / "ci.yml").read_text()
    assert any(step.get("run") == "make check" for step in workflow["jobs"]["check"]["steps"])
    deploy = workflow["jobs"]["deploy"]
    assert "refs/heads/main" in deploy["if"] and deploy["needs"] == "check"
    assert deploy["permissions"]["id-token"] == "write"
    assert "secrets." not in text  # ids come from repository variables; OIDC needs no secret
