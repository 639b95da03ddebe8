import pytest


@pytest.mark.parametrize(
    "path",
    [
        "/people/new/",
        "/people/{zhang}/edit/",
        "/people/{zhang}/move-out/",
        "/people/{zhang}/death/",
        "/people/{zhang}/merge/",
        "/people/{zhang}/unmask/?field=id_number",
        "/people/households/new/",
        "/people/households/{household}/move/",
        "/people/tags/",
        "/people/tags/new/",
        "/people/tags/disabled/",
        "/people/visits/due/",
    ],
)
def test_editor_pages_render_in_chinese_without_inline_scripts(registry, login, path):
    url = path.format(zhang=registry.zhang.pk, household=registry.household_a1.pk)
    response = login(registry.d.admin).get(url)
    assert response.status_code == 200, url
    body = response.content.decode()
    assert "保存" in body or "走访" in body or "标签" in body or "原因" in body
    assert "<script>" not in body and " style=" not in body


def test_dwelling_picker_finds_dwellings_in_scope_only(registry, login):
    client = login(registry.d.worker_a1)
    body = client.get("/people/dwelling-options/", {"dwelling_q": "号"}).content.decode()
    assert "平江路88号" in body and "南门路" not in body and "大儒巷" not in body
