"""Typed settings, read from the environment (prefix AUDIT_) or a .env file, checked at start."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_DIR = Path(__file__).resolve().parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AUDIT_", env_file=".env", extra="ignore")

    data_dir: Path = Field(PROJECT_DIR / "data", description="where the database, evidence and extra trees live")
    database_url: str = Field("", description="SQLAlchemy URL; empty means a SQLite file in data_dir")
    trees_dir: Path | None = Field(None, description="extra indicator-tree files; default data_dir/trees")
    evidence_dir: Path | None = Field(None, description="evidence files; default data_dir/evidence")
    max_upload_mb: int = Field(200, ge=1, le=10_000, description="largest evidence file accepted, in MB")
    timezone: str = Field("Asia/Shanghai", description="time zone for times shown in the app and reports")
    idle_minutes: int = Field(30, ge=1, le=24 * 60, description="log out after this many idle minutes")
    demo_data: bool = Field(False, description="load demo data and the demo accounts into an empty database")
    cookie_secure: bool = Field(False, description="mark the session cookie Secure (when served over HTTPS)")
    body_name: str = Field("", max_length=200, description="the certification body's name on certificates and documents")
    public_url: str = Field("http://localhost:8501", description="the app's address as the public sees it (QR codes)")
    certificate_pattern: str = Field("GBT27922-{year}-{seq:04d}",
                                     description="certificate numbers: {year}, {seq} (1, 2, ... per year)")
    smtp_host: str = Field("", description="SMTP server for reminder e-mails; empty: no e-mail")
    smtp_port: int = Field(587, ge=1, le=65535, description="SMTP port")
    smtp_tls: str = Field("starttls", description="none, starttls or ssl")
    smtp_sender: str = Field("", description="the From address of reminder e-mails")
    smtp_user: str = Field("", description="SMTP user name; empty: no login")
    smtp_password: str = Field("", description="SMTP password (from the environment, never a file in the project)")
    soffice_path: str = Field("", description="LibreOffice's soffice for PDF copies; empty: found on PATH")
    template_timeout_seconds: int = Field(60, ge=1, le=3600,
                                          description="longest a body's template may take to render a document")
    store: str = Field("local", description="where evidence bytes live: local (the evidence folder) or s3 (a bucket)")
    s3_endpoint: str = Field("", description="the S3-compatible service's address; empty: AWS's own")
    s3_bucket: str = Field("", max_length=63, description="the bucket holding evidence (AUDIT_STORE=s3)")
    s3_region: str = Field("us-east-1", description="the bucket's region")
    s3_access_key_id: str = Field("", description="access key (from the environment); empty: AWS_ACCESS_KEY_ID")
    s3_secret_access_key: str = Field("", description="secret key (from the environment); empty: AWS_SECRET_ACCESS_KEY")
    s3_part_size_mb: int = Field(16, ge=5, le=5_000, description="files larger than this go up in parts of this size")
    s3_conditional_writes: bool = Field(True, description="send If-None-Match: * (false for servers without it)")
    migrate_on_start: bool = Field(True, description="apply migrations when the app starts (false on replicas)")
    api_requests_per_minute: int = Field(120, ge=1, le=100_000,
                                         description="API requests a minute per token (per address without one), "
                                                     "counted in each replica")

    @property
    def extra_trees_dir(self) -> Path:
        return self.trees_dir or self.data_dir / "trees"

    @property
    def evidence_folder(self) -> Path:
        return self.evidence_dir or self.data_dir / "evidence"

    @property
    def load_demo(self) -> bool:
        return self.demo_data

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"未知的时区“{value}”，应为 IANA 时区名，如 Asia/Shanghai") from None
        return value

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if value and not value.startswith(("sqlite:///", "postgresql")):
            raise ValueError("数据库地址应以 sqlite:/// 或 postgresql+psycopg:// 开头")
        return value

    @field_validator("certificate_pattern")
    @classmethod
    def _number_pattern(cls, value: str) -> str:
        try:
            sample = value.format(year=2026, seq=1)
        except (KeyError, IndexError, ValueError):
            raise ValueError("证书编号格式只能使用 {year} 和 {seq}，如 GBT27922-{year}-{seq:04d}") from None
        if "{seq" not in value or not sample.strip() or len(sample) > 60:
            raise ValueError("证书编号格式必须含 {seq}，且编号不超过 60 个字符") from None
        return value

    @field_validator("smtp_tls")
    @classmethod
    def _tls_mode(cls, value: str) -> str:
        if value not in ("none", "starttls", "ssl"):
            raise ValueError("应为 none、starttls 或 ssl")
        return value

    @field_validator("store")
    @classmethod
    def _store_kind(cls, value: str) -> str:
        if value not in ("local", "s3"):
            raise ValueError("应为 local 或 s3")
        return value

    @model_validator(mode="after")
    def _bucket_named(self) -> Settings:
        if self.store == "s3" and not self.s3_bucket:
            raise ValueError("AUDIT_STORE=s3 时必须设置 AUDIT_S3_BUCKET")
        return self

    @field_validator("public_url")
    @classmethod
    def _address(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("应以 http:// 或 https:// 开头")
        return value.rstrip("/")

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'audit.db'}"


class SettingsInvalid(Exception):
    """The settings cannot be used; `message` lists each bad one, in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@lru_cache
def settings() -> Settings:
    """The settings, checked: SettingsInvalid names every setting that is wrong and why."""
    try:
        return Settings()
    except ValidationError as exc:
        lines = [(f"AUDIT_{'_'.join(map(str, e['loc'])).upper()}：" if e["loc"] else "") + _problem(e)
                 for e in exc.errors()]
        raise SettingsInvalid("设置有误，应用未启动：\n" + "\n".join(lines)) from None


def _problem(error: dict) -> str:
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    limits = error.get("ctx") or {}
    return {"greater_than_equal": f"不能小于 {limits.get('ge')}", "less_than_equal": f"不能大于 {limits.get('le')}",
            "int_parsing": "应为整数", "bool_parsing": "应为 true 或 false"}.get(error["type"], message)


if __name__ == "__main__":  # `python -m config`: check the settings before starting the app
    import sys
    try:
        settings()
    except SettingsInvalid as exc:
        print(exc.message, file=sys.stderr)
        sys.exit(2)
