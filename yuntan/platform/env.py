"""Read the platform's configuration from environment variables (读取环境变量配置).

Every variable is declared once in ``SETTINGS`` with its default and help text;
``docs/configuration.md`` documents each one (a test checks it). The ``env_*``
helpers fail loudly with ``ImproperlyConfigured`` instead of guessing, and each
also reads ``NAME_FILE`` (a file holding the value, e.g. a Docker secret).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import zoneinfo
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Setting:
    """One environment variable: its name, raw default and meaning."""

    name: str
    default: str | None  # raw text used when unset; None: computed at start-up
    help: str
    help_zh: str
    computed_default: str = ""  # how the default is computed, when ``default`` is None

    @property
    def documented_default(self) -> str:
        return self.computed_default if self.default is None else self.default


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "YUNTAN_DATA_DIR",
        None,
        "Directory for the SQLite database, the generated secret key and other local state;"
        " created if missing.",
        "本地数据目录（SQLite 数据库、自动生成的密钥等），不存在时自动创建。",
        computed_default="<checkout>/.var",
    ),
    Setting(
        "DATABASE_URL",
        None,
        "Database to use. A postgres:// URL selects PostgreSQL (psycopg 3);"
        " sqlite:///path selects SQLite.",
        "数据库地址。postgres:// 使用 PostgreSQL（psycopg 3）；sqlite:///路径 使用 SQLite。",
        computed_default="sqlite:///$YUNTAN_DATA_DIR/yuntan.sqlite3",
    ),
    Setting(
        "YUNTAN_SECRET_KEY",
        None,
        "Django secret key. When unset, one is generated once and kept in"
        " $YUNTAN_DATA_DIR/secret_key (fine for development; set it in production).",
        "Django 密钥。未设置时自动生成并保存在 $YUNTAN_DATA_DIR/secret_key"
        "（仅适合开发，生产环境请设置）。",
        computed_default="generated, kept in $YUNTAN_DATA_DIR/secret_key",
    ),
    Setting(
        "YUNTAN_DB_CONN_MAX_AGE",
        "60",
        "Seconds a database connection is kept for the next request (0: a new connection per"
        " request). Keeping them matters for PostgreSQL.",
        "数据库连接保留供后续请求复用的秒数（0 表示每个请求新建连接）；对 PostgreSQL 很重要。",
    ),
    Setting(
        "YUNTAN_DEBUG",
        "false",
        "Django debug mode: true/false, 1/0 or yes/no. Never true in production.",
        "调试模式：true/false、1/0 或 yes/no。生产环境必须为 false。",
    ),
    Setting(
        "YUNTAN_ALLOWED_HOSTS",
        "localhost,127.0.0.1,[::1],testserver",
        "Comma-separated host names this site may serve.",
        "允许访问的主机名，以逗号分隔。",
    ),
    Setting(
        "YUNTAN_LOGIN_FAILURE_LIMIT",
        "5",
        "Failed sign-ins after which an account, and separately an address, is locked out.",
        "登录失败达到该次数后，锁定该账户，并另行锁定该来源地址。",
    ),
    Setting(
        "YUNTAN_LOGIN_LOCKOUT_MINUTES",
        "15",
        "Minutes a locked-out account or address waits before it may sign in again.",
        "被锁定的账户或地址须等待的分钟数，之后才能再次登录。",
    ),
    Setting(
        "YUNTAN_LANGUAGE",
        "zh-hans",
        "Default interface language when the browser asks for none we have: zh-hans or en.",
        "浏览器未指定可用语言时的默认界面语言：zh-hans 或 en。",
    ),
    Setting(
        "YUNTAN_TIME_ZONE",
        "Asia/Shanghai",
        "Time zone for displaying dates (an IANA name); times are stored in UTC.",
        "显示日期所用的时区（IANA 名称）；数据库中统一以 UTC 存储。",
    ),
    Setting(
        "YUNTAN_EVIDENCE_MAX_MB",
        "20",
        "Largest evidence file (invoice, meter reading, certificate) accepted, in MB.",
        "可上传佐证材料文件的最大大小（MB）。",
    ),
    Setting(
        "YUNTAN_UPLOAD_MAX_MB",
        "500",
        "Largest background database package (openLCA JSON-LD zip) accepted, in MB.",
        "可上传的背景数据库文件（openLCA JSON-LD 压缩包）的最大大小（MB）。",
    ),
    Setting(
        "YUNTAN_LEDGER_CHECKPOINT_EVERY",
        "20",
        "Sign a ledger checkpoint in-process once this many entries are not yet covered by"
        " one, or when the last checkpoint is older than YUNTAN_LEDGER_CHECKPOINT_SECONDS"
        " (0: never in-process; run `yuntan ledger checkpoint` instead).",
        "未被检查点覆盖的账本条目达到此数量，或上一个检查点早于 YUNTAN_LEDGER_CHECKPOINT_SECONDS"
        " 时，平台自动签署检查点（0 表示不自动签署）。",
    ),
    Setting(
        "YUNTAN_LEDGER_CHECKPOINT_SECONDS",
        "600",
        "Longest time between two in-process ledger checkpoints while entries are appended.",
        "有新账本条目时两个自动检查点之间的最长间隔（秒）。",
    ),
    Setting(
        "YUNTAN_LEDGER_CHECKPOINTS_DIR",
        "",
        "Folder where every new ledger checkpoint is also written as a JSON file, outside the"
        " database (empty: $YUNTAN_DATA_DIR/ledger-checkpoints).",
        "每个新的账本检查点另存为 JSON 文件的目录，位于数据库之外（留空：$YUNTAN_DATA_DIR/"
        "ledger-checkpoints）。",
    ),
    Setting(
        "YUNTAN_WORKBOOK_MAX_MB",
        "5",
        "Largest filled data-collection template (.xlsx) accepted, in MB; a workbook must also"
        " unpack to at most 128 MB. No request may be larger than the largest of the upload"
        " limits plus 1 MB (HTTP 413).",
        "可上传的已填写数据收集模板（.xlsx）的最大大小（MB），且解压后不得超过 128 MB。"
        "任何请求不得超过各上传上限中的最大值加 1 MB（否则返回 HTTP 413）。",
    ),
    Setting(
        "YUNTAN_KEY_PASSPHRASE",
        "",
        "Passphrase that encrypts the private signing keys of labels and ledger checkpoints"
        " on disk (empty: the key files are protected by file mode 0600 only). Keys are"
        " encrypted when generated or rotated with it set.",
        "加密磁盘上标识与账本检查点签名私钥的口令（留空则仅以 0600 文件权限保护）；"
        "设置后生成或轮换的密钥即被加密。",
    ),
    Setting(
        "YUNTAN_PACT_REQUIRE_HTTPS",
        "true",
        "Serve the PACT API (/auth/token, /2/…, /3/…) over HTTPS only: plain-HTTP requests"
        " are refused before any credential is read. Turn off only for local development.",
        "PACT 接口仅通过 HTTPS 提供：明文 HTTP 请求在读取任何凭据前即被拒绝；仅本地开发时可关闭。",
    ),
    Setting(
        "YUNTAN_TRUST_X_FORWARDED_PROTO",
        "false",
        "Behind a TLS-terminating reverse proxy, trust its X-Forwarded-Proto header to tell"
        " HTTPS requests (set only when the proxy always sets or strips that header).",
        "部署在终止 TLS 的反向代理之后时，信任其 X-Forwarded-Proto 请求头判断 HTTPS"
        "（仅当代理总会设置或清除该头时开启）。",
    ),
    Setting(
        "YUNTAN_TRUST_X_FORWARDED_HOST",
        "false",
        "Behind a reverse proxy, take the host name from its X-Forwarded-Host header (set only"
        " when the proxy always sets or strips that header).",
        "部署在反向代理之后时，从其 X-Forwarded-Host 请求头获取主机名"
        "（仅当代理总会设置或清除该头时开启）。",
    ),
    Setting(
        "YUNTAN_SECURE_COOKIES",
        "false",
        "Send the session, CSRF and language cookies over HTTPS only (Secure flag). Turn on"
        " whenever the site is served over HTTPS; off for the local demo over plain HTTP.",
        "会话、CSRF 与语言 Cookie 仅通过 HTTPS 发送（Secure 标志）。通过 HTTPS 提供服务时应开启；"
        "本地演示使用明文 HTTP 时关闭。",
    ),
    Setting(
        "YUNTAN_SSL_REDIRECT",
        "false",
        "Redirect every plain-HTTP request to HTTPS (behind a TLS-terminating proxy also set"
        " YUNTAN_TRUST_X_FORWARDED_PROTO).",
        "将所有明文 HTTP 请求重定向到 HTTPS（在终止 TLS 的反向代理之后还需设置"
        " YUNTAN_TRUST_X_FORWARDED_PROTO）。",
    ),
    Setting(
        "YUNTAN_HSTS_SECONDS",
        "0",
        "HTTP Strict Transport Security: how long browsers must use HTTPS only for this host,"
        " in seconds (0: no HSTS header). Start small (3600), then a year (31536000).",
        "HTTP 严格传输安全（HSTS）：浏览器对本主机只用 HTTPS 的时长（秒，0 表示不发送 HSTS 头）。"
        "先设小值（3600），确认无误后再设一年（31536000）。",
    ),
    Setting(
        "YUNTAN_HSTS_INCLUDE_SUBDOMAINS",
        "false",
        "Extend HSTS to every subdomain of the host (only when all of them serve HTTPS).",
        "HSTS 同时适用于本主机的所有子域名（仅当所有子域名都提供 HTTPS 时开启）。",
    ),
    Setting(
        "YUNTAN_HSTS_PRELOAD",
        "false",
        "Add the preload directive to HSTS (for hosts submitted to browsers' preload lists).",
        "在 HSTS 头中加入 preload 指令（用于提交到浏览器预加载列表的主机）。",
    ),
    Setting(
        "YUNTAN_PACT_CA_FILE",
        "",
        "Extra CA certificates (PEM file) trusted when calling other PACT hosts, e.g. an"
        " intranet CA; public CAs are always trusted.",
        "调用其他 PACT 主机时额外信任的 CA 证书（PEM 文件），如内网 CA；公共 CA 始终受信任。",
    ),
    Setting(
        "YUNTAN_PACT_ALLOW_PRIVATE_HOSTS",
        "false",
        "Let suppliers' PACT hosts be on loopback, private, link-local or reserved addresses"
        " and on ports other than 443 (an intranet deployment; tests). Off, a host is"
        " checked when entered and its resolved address again before every connection.",
        "允许供应商的 PACT 主机位于回环、私有、链路本地或保留地址，或使用 443 以外的端口"
        "（内网部署、测试）。关闭时，录入主机时检查一次，每次连接前对解析出的地址再次检查。",
    ),
    Setting(
        "YUNTAN_EMAIL_HOST",
        "",
        "Mail server for notifications (empty: notifications are shown in the platform only).",
        "发送通知邮件的邮件服务器（留空则只在平台内显示通知）。",
    ),
    Setting(
        "YUNTAN_EMAIL_PORT",
        "25",
        "Port of the mail server.",
        "邮件服务器端口。",
    ),
    Setting(
        "YUNTAN_EMAIL_FROM",
        "yuntan@localhost",
        "Sender address of notification mail.",
        "通知邮件的发件地址。",
    ),
    Setting(
        "YUNTAN_JOBS_BACKEND",
        "thread",
        "Where background jobs (imports, recomputations) run: thread (worker threads in the"
        " web process), inline (at once, in the request; for scripts) or dask (on the Dask"
        " cluster at YUNTAN_DASK_SCHEDULER).",
        "后台任务（导入、重算）的运行方式：thread（Web 进程内的工作线程）、inline（在请求中立即"
        "运行，用于脚本）或 dask（在 YUNTAN_DASK_SCHEDULER 指定的 Dask 集群上运行）。",
    ),
    Setting(
        "YUNTAN_JOB_WORKERS",
        "2",
        "Worker threads for background jobs when YUNTAN_JOBS_BACKEND=thread.",
        "YUNTAN_JOBS_BACKEND=thread 时后台任务的工作线程数。",
    ),
    Setting(
        "YUNTAN_DASK_SCHEDULER",
        "",
        "Address of a Dask distributed scheduler (tcp://host:8786) for"
        " YUNTAN_JOBS_BACKEND=dask; its workers need the same settings and database.",
        "YUNTAN_JOBS_BACKEND=dask 时 Dask 分布式调度器的地址（tcp://主机:8786）；"
        "其工作节点须使用相同的配置和数据库。",
    ),
    Setting(
        "YUNTAN_JOBS_MAX_PER_ORGANISATION",
        "10",
        "Background jobs the people of one organisation may have queued or running at once;"
        " one more is refused with a message until one finishes.",
        "同一组织的人员可同时排队或运行的后台任务数；超出时拒绝并提示，待已有任务完成后再试。",
    ),
    Setting(
        "YUNTAN_MONTE_CARLO_MAX_ITERATIONS",
        "100000",
        "Most iterations of one Monte Carlo uncertainty run.",
        "一次蒙特卡洛不确定性分析的最大迭代次数。",
    ),
    Setting(
        "YUNTAN_PACT_EVENTS_PER_MINUTE",
        "60",
        "Events one PACT customer may post to /2/events and /3/events per minute (counted"
        " per process in its cache); more get HTTP 429 with Retry-After.",
        "每个 PACT 客户每分钟可向 /2/events、/3/events 提交的事件数（按进程缓存计数）；"
        "超出时返回 HTTP 429 及 Retry-After。",
    ),
)

SETTINGS_BY_NAME: dict[str, Setting] = {setting.name: setting for setting in SETTINGS}

_TRUE = frozenset({"true", "1", "yes"})
_FALSE = frozenset({"false", "0", "no"})
_DATABASE_ENGINES = frozenset({"django.db.backends.sqlite3", "django.db.backends.postgresql"})
# SQLite with concurrent writers (web threads, job threads, meter pushes): write-ahead log so
# readers never block the writer; write transactions take the lock when they begin
# (IMMEDIATE), so two of them queue on the busy timeout instead of one failing at once with
# "database is locked" when it upgrades a read lock; NORMAL sync is safe with WAL.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,  # seconds a connection waits for the write lock
}


def _raw(name: str, default: str | None) -> str:
    """Return NAME, else the contents of the file NAME_FILE names, else the default."""
    value = os.environ.get(name)
    file_name = os.environ.get(f"{name}_FILE")
    if value is not None and file_name is not None:
        raise ImproperlyConfigured(f"Set either {name} or {name}_FILE, not both.")
    if file_name is not None:
        try:
            # One trailing newline is what editors and `echo` add; it is not part of the value.
            return Path(file_name).read_text(encoding="utf-8").removesuffix("\n")
        except OSError as error:
            raise ImproperlyConfigured(f"Cannot read {name}_FILE={file_name!r}: {error}") from None
    if value is not None:
        return value
    if default is None:
        default = _registered_default(name)
    return default


def _registered_default(name: str) -> str:
    setting = SETTINGS_BY_NAME.get(name)
    if setting is None:
        raise ImproperlyConfigured(
            f"{name} is not declared in yuntan.platform.env.SETTINGS; declare it there."
        )
    if setting.default is None:
        raise ImproperlyConfigured(f"{name} has a computed default; pass it explicitly.")
    return setting.default


def env_str(name: str, default: str | None = None) -> str:
    """Text value of NAME; ``default`` overrides the one declared in SETTINGS."""
    return _raw(name, default)


def env_bool(name: str, default: str | None = None) -> bool:
    """true/false, 1/0 or yes/no (any case); anything else is an error."""
    value = _raw(name, default)
    word = value.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use true/false, 1/0 or yes/no.")


def env_int(name: str, default: str | None = None) -> int:
    """A base-10 integer; anything else is an error."""
    value = _raw(name, default)
    try:
        return int(value.strip(), 10)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None


def env_list(name: str, default: str | None = None) -> list[str]:
    """Comma-separated items, spaces around each trimmed; an empty item is an error."""
    value = _raw(name, default)
    if not value.strip():
        return []
    items = [item.strip() for item in value.split(",")]
    if "" in items:
        raise ImproperlyConfigured(f"{name}={value!r} has an empty item; remove the extra comma.")
    return items


def env_choice(name: str, choices: tuple[str, ...], default: str | None = None) -> str:
    """One of ``choices`` (exact spelling); anything else is an error."""
    value = _raw(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of: {', '.join(choices)}.")
    return value


def env_time_zone(name: str, default: str | None = None) -> str:
    """An IANA time zone name such as Asia/Shanghai."""
    value = _raw(name, default)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a known time zone (e.g. Asia/Shanghai)."
        ) from None
    return value


def database_from_url(url: str) -> dict[str, Any]:
    """Django DATABASES['default'] for a DATABASE_URL; only SQLite and PostgreSQL."""
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url))
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is not usable: {error}") from None
    if config.get("ENGINE") not in _DATABASE_ENGINES:
        raise ImproperlyConfigured(
            f"DATABASE_URL selects {config.get('ENGINE')!r}; use postgres://… or sqlite:///…"
        )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config


def private_sqlite_file(config: dict[str, Any]) -> None:
    """Create a SQLite database file that does not exist yet with mode 0600 (SQLite would
    create it readable by everyone, and gives its -wal and -shm files the same mode)."""
    if config.get("ENGINE") != "django.db.backends.sqlite3":
        return
    name = str(config.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    path = Path(name)
    if path.exists():
        return
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):  # another process got there first
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def secret_key_in(data_dir: Path) -> str:
    """The secret key kept in ``data_dir/secret_key``, generated on first use."""
    path = data_dir / "secret_key"
    if not path.exists():
        # Write a temporary file and hard-link it into place: link() fails if another
        # process (e.g. a parallel test worker) got there first, and then we read theirs.
        temporary = data_dir / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_urlsafe(50))
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise ImproperlyConfigured(f"{path} holds a key shorter than 32 characters.")
    return key
