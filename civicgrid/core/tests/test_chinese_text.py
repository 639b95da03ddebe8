from civicgrid.core.chinese_text import name_search_keys


def test_name_keys_are_full_pinyin_and_initials():
    assert name_search_keys("张三丰") == ("zhangsanfeng", "zsf")


def test_polyphonic_surnames_use_their_surname_reading():
    assert name_search_keys("单雄信") == ("shanxiongxin", "sxx")
    assert name_search_keys("曾国藩")[1] == "zgf"
    assert name_search_keys("尉迟恭") == ("yuchigong", "ycg")


def test_non_chinese_characters_are_ignored():
    assert name_search_keys("李·明") == ("liming", "lm")
