import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_login_page_is_in_chinese(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert "登录" in page
    assert "Log in" not in page


def test_every_ui_string_has_a_chinese_translation():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "i18n_check.py")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout
