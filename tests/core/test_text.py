import unicodedata

from dongthuan.core.text import fold, given_name_sort_key, nfc, unfolded_pattern


def test_fold_ignores_diacritics_case_and_d_bar():
    assert fold("Trần Duy Hưng") == "tran duy hung"
    assert fold("ĐẢNG BỘ xã  Trung Mỹ ") == "dang bo xa trung my"
    assert fold("Đồng Thuận") == "dong thuan"


def test_fold_of_nfd_equals_fold_of_nfc():
    text = "Nguyễn Thị Hương"
    assert fold(unicodedata.normalize("NFD", text)) == fold(text) == "nguyen thi huong"


def test_nfc_turns_nfd_into_nfc_and_trims():
    nfd = unicodedata.normalize("NFD", " Trung Mỹ ")
    assert nfd != "Trung Mỹ"
    assert nfc(nfd) == "Trung Mỹ"
    assert unicodedata.is_normalized("NFC", nfc(nfd))


def test_given_name_sorts_first():
    names = ["Nguyễn Văn Bình", "Trần Thị An", "Lê Văn Cường"]
    assert sorted(names, key=given_name_sort_key) == ["Trần Thị An", "Nguyễn Văn Bình", "Lê Văn Cường"]


def test_unfolded_pattern_finds_folded_words_as_written():
    pattern = unfolded_pattern(("dan", "van"))
    text = "Công tác DÂN VẬN khéo; dẫn đầu\nĐàn"
    assert [m.group() for m in pattern.finditer(text)] == ["DÂN", "VẬN", "dẫn", "Đàn"]
    assert [m.group() for m in unfolded_pattern(("uu tien",)).finditer("Ưu tiên, ưu  tiên")] == ["Ưu tiên"]
    assert unfolded_pattern(()).search("bất kỳ") is None
