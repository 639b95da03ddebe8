from datetime import date

import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import ric

from civicgrid.core import personal_data as pd


def _valid_id(prefix17: str) -> str:
    return prefix17 + ric.calc_check_digit(prefix17 + "0")


def test_id_number_yields_birth_date_and_sex():
    number = _valid_id("32050819900307123")
    parsed = pd.parse_id_number(number)
    assert parsed.birth_date == date(1990, 3, 7)
    assert parsed.sex == "male"  # 17th digit 3 is odd
    assert parsed.region_known is False


def test_id_number_accepts_full_width_digits_and_lower_case_x():
    number = _valid_id("11010519491231002")
    typed = number.translate(str.maketrans("0123456789X", "０１２３４５６７８９x"))
    assert pd.parse_id_number(typed).number == number


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("3205081990030712", "18"),
        ("32050819900307123Y", "数字"),
        ("320508199003071230", "校验位"),
        ("", "为空"),
    ],
)
def test_bad_id_numbers_get_a_chinese_reason(value, message):
    if value == "320508199003071230" and ric.is_valid(value):
        value = "320508199003071231"
    with pytest.raises(ValidationError) as err:
        pd.parse_id_number(value)
    assert message in err.value.messages[0]


def test_masking_keeps_only_region_prefix_and_last_four():
    assert pd.mask_id_number("32050819900307123X") == "3205**********123X"
    assert pd.mask_mobile("13812345678") == "138****5678"


def test_mobile_numbers_are_normalised_and_checked():
    assert pd.parse_mobile("+86 138-1234-5678") == "13812345678"
    with pytest.raises(ValidationError) as err:
        pd.parse_mobile("12812345678")
    assert "手机号" in err.value.messages[0]


def test_credit_code_checksum_is_checked():
    assert pd.parse_credit_code("91110000600037341L") == "91110000600037341L"
    with pytest.raises(ValidationError) as err:
        pd.parse_credit_code("91110000600037341M")
    assert "校验" in err.value.messages[0]


def test_ciphertext_round_trips_and_is_bound_to_its_field():
    token = pd.encrypt("32050819900307123X", context="person.id_number")
    assert "3205081990" not in token
    assert pd.decrypt(token, context="person.id_number") == "32050819900307123X"
    with pytest.raises(Exception):  # noqa: B017 - AES-GCM refuses a moved ciphertext
        pd.decrypt(token, context="person.phone")


def test_same_value_encrypts_differently_but_indexes_identically():
    a = pd.encrypt("13812345678", context="person.phone")
    b = pd.encrypt("13812345678", context="person.phone")
    assert a != b
    assert pd.blind_index("13812345678", context="person.phone") == pd.blind_index(
        "13812345678", context="person.phone"
    )
    assert pd.blind_index("13812345678", context="person.phone") != pd.blind_index("13812345678", context="user.phone")


def test_region_code_is_checked_against_the_birth_date_and_only_flagged():
    # 姑苏区 (320508) exists since 2012: known for a 2015 birth, flagged (not rejected) for 1990.
    assert pd.parse_id_number(_valid_id("32050820150101002")).region_known is True
    parsed = pd.parse_id_number(_valid_id("32050819900101002"))
    assert parsed.region_known is False
    assert parsed.sex == "female"


def test_id_number_with_impossible_birth_date_is_rejected():
    with pytest.raises(ValidationError) as err:
        pd.parse_id_number(_valid_id("11010519901332002"))
    assert "出生日期" in err.value.messages[0]
