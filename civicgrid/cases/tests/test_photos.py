import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from civicgrid.cases.models import Case, CaseCategory, CasePhoto


def jpeg_with_gps(width=3000, height=2000) -> bytes:
    image = Image.new("RGB", (width, height), (200, 80, 40))
    exif = Image.Exif()
    exif[0x8825] = {2: (31.0, 17.0, 6.0), 4: (120.0, 36.0, 18.0)}  # GPSInfo: latitude, longitude
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _report(client, **files):
    category = CaseCategory.objects.get(code="garbage")
    data = {"category": category.pk, "title": "垃圾堆放", "lon": "120.603", "lat": "31.283", **files}
    return client.post("/cases/new/", data)


def test_photo_is_reencoded_without_exif_and_shrunk(district, login):
    upload = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = _report(login(district.worker_a1), photos=[upload])
    assert response.status_code == 302
    photo = CasePhoto.objects.get()
    with Image.open(photo.image.open("rb")) as stored:
        assert max(stored.size) == 2048
        assert not stored.getexif()  # no GPS, no camera maker


def test_non_image_upload_is_refused_and_nothing_is_created(district, login):
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    page = _report(login(district.worker_a1), photos=[fake]).content.decode()
    assert "不是照片" in page
    assert not Case.objects.exists() and not CasePhoto.objects.exists()


def test_oversized_upload_is_refused(district, login, settings):
    big = SimpleUploadedFile("big.jpg", b"0" * (16 * 1024 * 1024), content_type="image/jpeg")
    page = _report(login(district.worker_a1), photos=[big]).content.decode()
    assert "15 MB" in page and not Case.objects.exists()


def test_self_handled_report_needs_a_photo(district, login):
    page = _report(login(district.worker_a1), self_handled="on", handled_note="已清理").content.decode()
    assert "需要一张处置结果的照片" in page


def test_photos_are_served_only_within_scope(district, login):
    upload = SimpleUploadedFile("a.jpg", jpeg_with_gps(400, 300), content_type="image/jpeg")
    _report(login(district.worker_a1), photos=[upload])
    case, photo = Case.objects.get(), CasePhoto.objects.get()
    assert login(district.community_a).get(f"/cases/{case.pk}/photos/{photo.pk}/").status_code == 200
    assert login(district.worker_b1).get(f"/cases/{case.pk}/photos/{photo.pk}/").status_code == 404
