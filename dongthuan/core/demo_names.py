"""Fictional Vietnamese names for demo and benchmark data (no real person's name is used)."""

from __future__ import annotations

import random

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Phan",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Khổng",
    "Kim",
    "Tạ",
    "Lưu",
    "Đào",
    "Trịnh",
]
MIDDLE_MALE = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Xuân", "Thế", "Ngọc", "Duy", "Đình", "Tiến"]
MIDDLE_FEMALE = ["Thị", "Thu", "Ngọc", "Minh", "Thanh", "Kim", "Hồng", "Bích", "Phương", "Diệu"]
GIVEN_MALE = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Giang",
    "Hải",
    "Hiếu",
    "Hoàng",
    "Khánh",
    "Kiên",
    "Long",
    "Mạnh",
    "Nam",
    "Nghĩa",
    "Phong",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thắng",
    "Thành",
    "Tiến",
    "Toàn",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
]
GIVEN_FEMALE = [
    "Anh",
    "Chi",
    "Dung",
    "Duyên",
    "Hà",
    "Hằng",
    "Hạnh",
    "Hoa",
    "Hương",
    "Lan",
    "Liên",
    "Linh",
    "Loan",
    "Mai",
    "Nga",
    "Ngân",
    "Nhung",
    "Oanh",
    "Phượng",
    "Quyên",
    "Thảo",
    "Thủy",
    "Trang",
    "Yến",
]
# Names that appear in the source article belong to real people and are never generated.
EXCLUDED = {"Trần Duy Hưng", "Ngô Tuấn Anh", "Anh Toàn"}


def fictional_name(rng: random.Random) -> tuple[str, str]:
    """A (full name, gender) pair."""
    while True:
        if rng.random() < 0.55:
            name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_MALE)} {rng.choice(GIVEN_MALE)}"
            gender = "male"
        else:
            name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_FEMALE)} {rng.choice(GIVEN_FEMALE)}"
            gender = "female"
        if name not in EXCLUDED:
            return name, gender
