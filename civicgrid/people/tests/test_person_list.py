from civicgrid.people.tests.conftest import make_person


def names(response) -> set[str]:
    return {p.name for p in response.context["page"].object_list}


def test_grid_worker_sees_only_their_grids_people(registry, login):
    response = login(registry.d.worker_a1).get("/people/")
    assert response.status_code == 200
    assert names(response) == {"张三丰", "李小红"}


def test_community_staff_sees_their_community_but_not_the_other_subdistrict(registry, login):
    assert names(login(registry.staff_a).get("/people/")) == {"张三丰", "李小红", "王大明"}


def test_user_without_a_role_gets_403(registry, login):
    assert login(registry.d.nobody).get("/people/").status_code == 403


def test_search_by_pinyin_initials(registry, login):
    assert names(login(registry.d.admin).get("/people/", {"q": "zsf"})) == {"张三丰"}


def test_search_by_full_pinyin_prefix(registry, login):
    assert names(login(registry.d.admin).get("/people/", {"q": "zhangsan"})) == {"张三丰"}


def test_search_by_chinese_name_fragment(registry, login):
    assert names(login(registry.d.admin).get("/people/", {"q": "三丰"})) == {"张三丰"}


def test_search_by_last_four_of_id_number(registry, login):
    tail = registry.zhang_id[-4:]
    assert names(login(registry.d.admin).get("/people/", {"q": tail})) == {"张三丰"}


def test_search_by_last_six_of_id_number_uses_the_birth_day(registry, login):
    client = login(registry.d.admin)
    assert names(client.get("/people/", {"q": registry.zhang_id[-6:]})) == {"张三丰"}
    wrong_day = "16" + registry.zhang_id[-4:]
    assert names(client.get("/people/", {"q": wrong_day})) == set()


def test_search_by_full_id_number_in_full_width_characters(registry, login):
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in registry.zhang_id)
    assert names(login(registry.d.admin).get("/people/", {"q": full_width})) == {"张三丰"}


def test_search_by_full_mobile_number(registry, login):
    assert names(login(registry.d.admin).get("/people/", {"q": registry.wang_phone})) == {"王大明"}


def test_search_by_last_four_of_phone(registry, login):
    assert names(login(registry.d.admin).get("/people/", {"q": "1111"})) == {"王大明"}


def test_search_by_address_fragment(registry, login):
    assert names(login(registry.d.admin).get("/people/", {"q": "大儒巷"})) == {"王大明"}


def test_search_finds_nothing_outside_the_users_scope(registry, login):
    client = login(registry.d.worker_a1)
    assert names(client.get("/people/", {"q": "zs"})) == {"张三丰"}
    assert names(client.get("/people/", {"q": "赵四"})) == set()
    assert names(client.get("/people/", {"q": "大儒巷"})) == set()
    assert names(client.get("/people/", {"q": registry.wang_phone})) == set()


def test_sensitive_tag_is_hidden_from_grid_worker_in_list_and_filter_options(registry, login):
    page = login(registry.d.worker_a1).get("/people/").content.decode()
    assert "李小红" in page
    assert "社区矫正" not in page
    assert "低保" in page


def test_sensitive_tag_is_hidden_from_community_staff(registry, login):
    page = login(registry.staff_a).get("/people/").content.decode()
    assert "社区矫正" not in page


def test_filtering_by_a_sensitive_tag_without_the_capability_finds_nobody(registry, login):
    assert names(login(registry.staff_a).get("/people/", {"tag": "correction"})) == set()


def test_community_secretary_sees_and_filters_sensitive_tags(registry, login):
    response = login(registry.d.community_a).get("/people/", {"tag": "correction"})
    assert names(response) == {"李小红"}
    assert "社区矫正" in response.content.decode()


def test_filter_by_derived_age_tag(registry, login):
    # 张三丰 born 1950 is 70+, not 80+; 赵四 is out of scope for community_a
    assert names(login(registry.d.community_a).get("/people/", {"tag": "aged80"})) == set()
    assert names(login(registry.d.admin).get("/people/", {"age": "60-79"})) == {"张三丰", "赵四"}


def test_filter_by_grid_sex_and_status(registry, login):
    client = login(registry.d.admin)
    assert names(client.get("/people/", {"area": registry.d.grid_a2.code})) == {"王大明"}
    assert names(client.get("/people/", {"sex": "female"})) == {"李小红", "赵四"}


def test_masked_id_and_phone_are_shown_not_clear_values(registry, login):
    page = login(registry.d.admin).get("/people/").content.decode()
    assert registry.zhang_id not in page
    assert registry.zhang.id_number_masked in page
    assert "138****5678" in page


def test_htmx_search_returns_only_the_results_fragment(registry, login):
    response = login(registry.d.admin).get(
        "/people/", {"q": "zsf"}, headers={"HX-Request": "true", "HX-Target": "person-results"}
    )
    body = response.content.decode()
    assert "张三丰" in body and "<html" not in body


def test_person_list_makes_a_constant_number_of_queries(registry, login, django_assert_max_num_queries):
    client = login(registry.d.admin)
    for i in range(30):
        make_person(name=f"测试{i}", area=registry.d.grid_a1, birth=registry.zhang.birth_date, seq=500 + i)
    with django_assert_max_num_queries(14):
        response = client.get("/people/")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 34
