"""The sealed ballot box: ballots encrypted when cast, the private key split among the tellers' codes, the count made
from the sum of the ballots only; nobody holding the database — during or after the poll, dead rows included — can
tie a voter to a choice."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from django.db import connection
from django.urls import reverse

from dongthuan.audit.models import AuditEvent
from dongthuan.core.errors import DomainError
from dongthuan.meetings import sealing, selectors, services
from dongthuan.meetings.models import Ballot, Candidate, ItemKind, Poll, PollSeal, SealShare, VoterMark
from tests.meetings.test_votes import _meeting, _vote


def _sealed_poll(world, size=7, present=7, tellers=3, item_kind=ItemKind.DOCUMENT):
    meeting, item, people = _meeting(world, size=size, present=present, item_kind=item_kind)
    poll = services.poll_create(
        actor=None, item=item, question="Thông qua nghị quyết", kind="secret", tellers=people[-tellers:]
    )
    return meeting, poll, people


def _take_codes(poll, tellers):
    return {t.pk: services.teller_code_take(actor=None, poll=poll, teller=t) for t in tellers}


@pytest.fixture
def split_log(monkeypatch):
    """The shares made at opening, as the sealing module returned them — what the server drops and the tellers'
    codes seal. The attacker below looks for them in the database."""
    made = []
    original = sealing.split

    def recording(threshold, count):
        public_key, shares = original(threshold, count)
        made.append((public_key, shares))
        return public_key, shares

    monkeypatch.setattr(sealing, "split", recording)
    return made


@pytest.mark.django_db
def test_tellers_hold_the_seal_two_of_three_unseal_the_count(world, split_log):
    meeting, poll, people = _sealed_poll(world)
    tellers = people[-3:]
    with pytest.raises(DomainError) as refused:
        services.poll_open(actor=None, poll=poll)
    assert refused.value.messages == [
        "Người kiểm phiếu chưa nhận mã niêm phong: Nguyễn Văn Ủy Viên 5, Nguyễn Văn Ủy Viên 6, Nguyễn Văn Ủy Viên 7."
    ]
    codes = _take_codes(poll, tellers)
    assert SealShare.objects.filter(seal__poll=poll, box__isnull=True).count() == 3  # only the codes' public keys
    poll = services.poll_open(actor=None, poll=poll)
    seal = PollSeal.objects.get(poll=poll)
    assert (seal.mode, seal.threshold, seal.slots) == ("tellers", 2, ["approve", "reject", "abstain"])
    with pytest.raises(DomainError) as refused:
        services.teller_code_take(actor=None, poll=poll, teller=tellers[0])
    assert refused.value.messages == ["Cuộc bỏ phiếu đã mở; không nhận mã niêm phong được nữa."]

    choices = ["approve", "reject", "approve", "abstain", "approve", "reject", "approve"]
    receipts = [
        services.vote_cast(actor=None, poll=poll, person=p, choice=c) for p, c in zip(people, choices, strict=True)
    ]
    assert len(set(receipts)) == 7
    stored = {sealing.receipt(bytes(c)) for c in Ballot.objects.filter(poll=poll).values_list("ciphertext", flat=True)}
    assert stored == set(receipts)
    assert Poll.objects.get(pk=poll.pk).approve is None

    poll = services.poll_close(actor=None, poll=poll)
    assert poll.status == "counting" and poll.approve is None
    with pytest.raises(DomainError) as refused:
        services.vote_cast(actor=None, poll=poll, person=people[0], choice="reject")
    assert refused.value.messages == ["Cuộc biểu quyết đã kết thúc."]
    bulletin_while_counting = selectors.seal_bulletin(poll)
    assert len(bulletin_while_counting["ballots"]) == 7

    with pytest.raises(DomainError) as refused:
        services.poll_unseal(actor=None, poll=poll, teller=tellers[0], code=codes[tellers[1].pk])
    assert refused.value.messages == ["Mã niêm phong không đúng."]
    assert not SealShare.objects.filter(seal__poll=poll, partial__isnull=False).exists()
    with pytest.raises(DomainError) as refused:
        services.poll_unseal(actor=None, poll=poll, teller=people[0], code=codes[tellers[0].pk])
    assert refused.value.messages == ["Đồng chí không thuộc ban kiểm phiếu của cuộc bỏ phiếu này."]

    # The code is read without its dashes, in lower case, with O for 0 and I for 1.
    typed = codes[tellers[0].pk].replace("-", " ").lower().replace("0", "o").replace("1", "i")
    poll = services.poll_unseal(actor=None, poll=poll, teller=tellers[0], code=typed)
    assert poll.status == "counting"  # one of the two needed
    # The third teller is missing: the second is enough.
    poll = services.poll_unseal(actor=None, poll=poll, teller=tellers[1], code=codes[tellers[1].pk])
    assert (poll.status, poll.approve, poll.reject, poll.abstain, poll.passed) == ("closed", 4, 2, 1, True)
    seal = PollSeal.objects.get(poll=poll)
    assert seal.counts == [4, 2, 1] and seal.ballots == 7
    assert seal.receipts == sorted(receipts)
    assert seal.digest == hashlib.sha256("\n".join(sorted(receipts)).encode()).hexdigest()
    assert Ballot.objects.filter(poll=poll).count() == 0  # individual ciphertexts are gone
    with pytest.raises(DomainError) as refused:
        services.poll_unseal(actor=None, poll=poll, teller=tellers[2], code=codes[tellers[2].pk])
    assert refused.value.messages == ["Cuộc bỏ phiếu không ở bước kiểm phiếu."]

    # Anyone present who kept the bulletin while counting can check the count against the ballots recorded.
    final = selectors.seal_bulletin(poll)
    assert final["ballots"] == [] and final["digest"] == bulletin_while_counting["digest"]
    checked = {**final, "ballots": bulletin_while_counting["ballots"]}
    assert sealing.check_bulletin(checked) == []
    assert sealing.check_bulletin({**checked, "counts": [5, 1, 1]}) == ["counts"]
    assert sealing.check_bulletin({**checked, "ballots": checked["ballots"][1:]}) == ["receipts", "total"]
    forged = json.loads(json.dumps(checked))
    forged["shares"][0]["partial"] = forged["shares"][1]["partial"]
    assert "partial 1" in sealing.check_bulletin(forged)
    # The audit history says who took codes and unsealed, and the count — never a choice.
    actions = list(AuditEvent.objects.filter(object_id=str(meeting.pk)).values_list("action", flat=True))
    assert actions.count("seal_code") == 3 and actions.count("unseal") == 2 and "vote" not in actions
    labels = {e.action_label for e in AuditEvent.objects.filter(action__in=["seal_code", "unseal", "poll_count"])}
    assert labels == {"Nhận mã niêm phong", "Mở niêm phong", "Kết thúc bỏ phiếu kín, cộng phiếu"}


@pytest.mark.django_db
def test_an_electronic_poll_sealed_by_tellers_names_at_least_three_present(world):
    _meeting_, item, people = _meeting(world, size=7, present=5)
    with pytest.raises(DomainError) as refused:
        services.poll_create(actor=None, item=item, question="Q", kind="secret", tellers=people[:2])
    assert refused.value.messages == [
        "Bỏ phiếu điện tử có ban kiểm phiếu: chọn ít nhất 3 người đang có mặt, để thiếu một người vẫn mở được niêm "
        "phong."
    ]
    with pytest.raises(DomainError):
        services.poll_create(actor=None, item=item, question="Q", kind="secret", tellers=people[3:6])  # 6 is absent
    assert not Poll.objects.filter(item=item).exists()


@pytest.mark.django_db
def test_a_poll_without_tellers_is_sealed_by_the_server_key_not_in_the_database(world, settings, split_log):
    _meeting_, item, people = _meeting(world, size=5, present=5, item_kind=ItemKind.ELECTION)
    poll = services.poll_create(
        actor=None, item=item, question="Bầu bí thư", kind="secret", method="candidates", seats=1, cell_secretary=True
    )
    for person in people[:2]:
        services.candidate_add(actor=None, poll=poll, person=person)
    poll = services.poll_open(actor=None, poll=poll)
    a, b = Candidate.objects.filter(poll=poll).order_by("pk")
    for person, chosen in zip(people, [a, a, b, a, a], strict=True):
        services.vote_cast(actor=None, poll=poll, person=person, selection=[chosen.pk])
    (share,) = SealShare.objects.filter(seal__poll=poll)
    assert share.teller is None and share.partial is None
    settings.BALLOT_SEAL_KEY = "another key"
    with pytest.raises(DomainError) as refused:
        services.poll_close(actor=None, poll=poll)  # the database alone does not open it
    assert refused.value.code == "seal_tampered"  # the seal's keyed hash no longer checks either
    assert Poll.objects.get(pk=poll.pk).status == "open"
    settings.BALLOT_SEAL_KEY = settings.SECRET_KEY
    poll = services.poll_close(actor=None, poll=poll)
    assert poll.status == "closed"
    assert {c.pk: (c.votes, c.elected) for c in Candidate.objects.filter(poll=poll)} == {
        a.pk: (4, True),
        b.pk: (1, False),
    }
    public_key, (only,) = split_log[0]
    assert bytes(PollSeal.objects.get(poll=poll).public_key) == public_key
    assert bytes(share.box) != sealing._scalar(only.secret)


@pytest.mark.django_db
def test_a_poll_with_few_ballots_closes_only_when_the_chair_confirms(world, client):
    meeting, item, people = _meeting(world, size=3, present=3)
    poll = services.poll_open(
        actor=None, poll=services.poll_create(actor=None, item=item, question="Kỷ luật", kind="secret")
    )
    _vote(poll, people[:2], ["approve", "reject"])
    with pytest.raises(DomainError) as refused:
        services.poll_close(actor=None, poll=poll)
    assert refused.value.messages == [
        "Chỉ có 2 phiếu: kết quả có thể cho biết từng người đã chọn gì. Chỉ kết thúc khi chủ trì xác nhận điều này "
        "trước hội nghị."
    ]
    assert Poll.objects.get(pk=poll.pk).status == "open"
    client.force_login(world.users["admin"])
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'data-testid="few-ballots"' in page
    url = reverse("meetings:poll_close", args=[poll.pk])
    page = client.post(url, follow=True).content.decode()
    assert "Chỉ có 2 phiếu" in page and Poll.objects.get(pk=poll.pk).status == "open"
    client.post(url, {"confirm_few": "on"})
    assert Poll.objects.get(pk=poll.pk).approve == 1


@pytest.mark.django_db
def test_attendance_cannot_change_while_a_secret_poll_is_open(world):
    meeting, item, people = _meeting(world, size=5, present=4)
    poll = services.poll_open(actor=None, poll=services.poll_create(actor=None, item=item, question="Q", kind="secret"))
    with pytest.raises(DomainError) as refused:
        services.attendance_set(actor=None, meeting=meeting, person=people[4], status="present")
    assert refused.value.messages == ["Đang bỏ phiếu kín: điểm danh chỉ thay đổi được sau khi kết thúc bỏ phiếu."]
    with pytest.raises(DomainError):
        services.attendance_set(actor=None, meeting=meeting, person=people[0], status="left")
    _vote(poll, people[:4], ["approve"] * 4)
    services.poll_close(actor=None, poll=poll)
    services.attendance_set(actor=None, meeting=meeting, person=people[4], status="present")


@pytest.mark.django_db
def test_a_ballot_naming_the_same_candidate_twice_is_refused(world):
    _meeting_, item, people = _meeting(world, size=5, present=5, item_kind=ItemKind.ELECTION)
    poll = services.poll_create(
        actor=None, item=item, question="Bầu", kind="secret", method="candidates", seats=2, cell_secretary=True
    )
    for person in people[:3]:
        services.candidate_add(actor=None, poll=poll, person=person)
    poll = services.poll_open(actor=None, poll=poll)
    a = Candidate.objects.filter(poll=poll).order_by("pk").first()
    with pytest.raises(DomainError) as refused:
        services.vote_cast(actor=None, poll=poll, person=people[0], selection=[a.pk, str(a.pk)])
    assert refused.value.messages == ["Phiếu ghi tên một người hai lần; hãy chọn lại."]
    assert VoterMark.objects.filter(poll=poll).count() == Ballot.objects.filter(poll=poll).count() == 0


@pytest.mark.django_db
def test_a_confidence_ballot_naming_a_person_twice_is_refused(world):
    _meeting_, item, people = _meeting(world, size=5, present=5, item_kind=ItemKind.CONFIDENCE)
    poll = services.poll_create(actor=None, item=item, question="Tín nhiệm", kind="secret", method="confidence")
    services.candidate_add(actor=None, poll=poll, person=people[0])
    poll = services.poll_open(actor=None, poll=poll)
    a = Candidate.objects.get(poll=poll)
    with pytest.raises(DomainError) as refused:
        services.vote_cast(actor=None, poll=poll, person=people[0], selection={str(a.pk): "high", f"0{a.pk}": "low"})
    assert refused.value.messages == ["Phiếu ghi tên một người hai lần; hãy chọn lại."]


@pytest.mark.django_db
def test_ballots_voter_marks_and_seals_are_not_in_the_admin(world, client):
    client.force_login(world.users["admin"])
    for model in ("ballot", "votermark", "pollseal", "sealshare"):
        assert client.get(f"/admin/meetings/{model}/").status_code == 404
    assert client.get("/admin/meetings/poll/").status_code == 200


@pytest.mark.django_db
def test_tellers_take_codes_vote_and_unseal_through_the_pages(world, client):
    """A teller takes their code on their phone (shown once, not stored, not cached), a member votes and sees
    a receipt, the chair closes, two tellers type their codes and the result appears; the bulletin downloads."""
    from dongthuan.people import services as people_services
    from tests.factories import UserFactory

    meeting, poll, people = _sealed_poll(world, size=5, present=5)
    tellers = people[-3:]
    users = {}
    for person in people:
        users[person.pk] = UserFactory(username=f"u{person.pk}")
        people_services.person_link_account(actor=None, person=person, account=users[person.pk])
    codes = {}
    for teller in tellers:
        client.force_login(users[teller.pk])
        assert "Nhận mã niêm phong" in client.get(meeting.get_absolute_url()).content.decode()
        response = client.post(reverse("meetings:seal_code", args=[poll.pk]))
        assert response.status_code == 200 and response["Cache-Control"] == "no-store"
        codes[teller.pk] = response.content.decode().split('data-testid="seal-code">')[1].split("<")[0]
    client.force_login(users[people[0].pk])
    assert client.post(reverse("meetings:seal_code", args=[poll.pk])).status_code == 404  # not a teller
    client.force_login(world.users["admin"])
    client.post(reverse("meetings:poll_open", args=[poll.pk]))
    poll.refresh_from_db()
    assert poll.status == "open"

    for person, choice in zip(people, ["approve", "approve", "reject", "approve", "abstain"], strict=True):
        client.force_login(users[person.pk])
        response = client.post(reverse("meetings:vote", args=[poll.pk]), {"choice": choice}, HTTP_HX_REQUEST="true")
        receipt = response.content.decode().split('data-testid="receipt">')[1].split("<")[0]
        assert len(receipt) == 64 and response["Cache-Control"] == "no-store"
    client.force_login(world.users["admin"])
    client.post(reverse("meetings:poll_close", args=[poll.pk]))
    assert client.get(reverse("meetings:bulletin", args=[poll.pk])).status_code == 200
    client.force_login(users[tellers[0].pk])
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "đã mở niêm phong 0, cần 2" in page and "Nhập mã, mở niêm phong" in page
    url = reverse("meetings:unseal", args=[poll.pk])
    response = client.post(url, {"code": "AAAA-BBBB-CCCC-DDDD-EEEE"})
    assert response.status_code == 400 and "Mã niêm phong không đúng." in response.content.decode()
    client.post(url, {"code": codes[tellers[0].pk]})
    client.force_login(users[tellers[2].pk])
    page = client.post(url, {"code": codes[tellers[2].pk]}, follow=True).content.decode()
    assert "Đã mở niêm phong và kiểm xong phiếu." in page
    poll.refresh_from_db()
    assert (poll.status, poll.approve, poll.reject, poll.abstain) == ("closed", 3, 1, 1)
    bulletin = json.loads(client.get(reverse("meetings:bulletin", args=[poll.pk])).content)
    assert bulletin["counts"] == [3, 1, 1] and len(bulletin["receipts"]) == 5
    assert sealing.check_bulletin(bulletin) == []


def _dump(vendor):
    """Every row of every table, as text and bytes — what a database reader holds."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview | bytes | bytearray):
                        found.append(bytes(value))
                    elif value is not None:
                        found.append(str(value).encode())
        if vendor == "postgresql":
            # The raw pages of every table, dead row versions included (what VACUUM has not yet cleared, and what
            # a backup or a replica holds).
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
            for table in connection.introspection.table_names(cursor):
                cursor.execute("SELECT pg_relation_size(%s::regclass) / current_setting('block_size')::int", [table])
                for block in range(cursor.fetchone()[0]):
                    cursor.execute("SELECT get_raw_page(%s, %s)", [table, block])
                    found.append(bytes(cursor.fetchone()[0]))
        else:
            # The whole database file, free pages included.
            found.append(connection.connection.serialize())
    return found


def _encodings(secret: bytes):
    return [secret, secret.hex().encode(), base64.b64encode(secret), str(int.from_bytes(secret, "little")).encode()]


def _attack(dump, public_key, shares, codes, poll):
    """What a database reader looks for to read a ballot: the poll's private key, any share of it, any teller's
    code or the key it stands for — in any column, in any encoding, in any page. Returns what was found."""
    secret = sum(s.secret * sealing.lagrange_at_zero(s.index, [x.index for x in shares]) for s in shares) % sealing.L
    assert sealing.base_mul(secret) == public_key  # the test holds the key the server dropped
    needles = {"private key": _encodings(sealing._scalar(secret))}
    for share in shares:
        needles[f"share {share.index}"] = _encodings(sealing._scalar(share.secret))
    for i, code in enumerate(codes):
        private, _public = sealing.code_keypair(code, f"poll:{poll.pk}".encode())
        needles[f"code {i}"] = [code.encode(), sealing.normalize_code(code).encode(), *_encodings(private)]
    found = set()
    for blob in dump:
        for name, forms in needles.items():
            if any(form in blob for form in forms):
                found.add(name)
    return found


def _scalar_scan(dump, public_key, verifications):
    """Every 32 bytes at every offset of every value and page, taken as a scalar: is any of them the private key
    or a share? (The brute force a reader would run without knowing what to look for.)"""
    targets = {public_key, *verifications}
    hits = 0
    for blob in dump:
        if len(blob) < 32 or len(blob) > 200_000:
            continue
        for offset in range(len(blob) - 31):
            k = int.from_bytes(blob[offset : offset + 32], "little") % sealing.L
            if k and sealing.base_mul(k) in targets:
                hits += 1
    return hits


@pytest.mark.django_db
def test_no_database_reader_can_tie_a_voter_to_a_choice(world, split_log):
    """During and after the poll, with every table (and on PostgreSQL every raw page, dead rows included), the
    reader can pair voter marks with ballots but finds no key to read any ballot: the choice stays sealed."""
    vendor = connection.vendor
    meeting, poll, people = _sealed_poll(world, size=5, present=5)
    tellers = people[-3:]
    codes = _take_codes(poll, tellers)
    poll = services.poll_open(actor=None, poll=poll)
    public_key, shares = split_log[-1]
    choices = ["approve", "reject", "approve", "abstain", "reject"]
    for person, choice in zip(people, choices, strict=True):
        services.vote_cast(actor=None, poll=poll, person=person, choice=choice)

    def check_moment():
        dump = _dump(vendor)
        assert _attack(dump, public_key, shares, list(codes.values()), poll) == set()
        # No plaintext choice is stored anywhere beside the ballots: not in the ballot table, not in the audit.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {Ballot._meta.db_table}")  # noqa: S608
            for row in cursor.fetchall():
                assert not any(str(v) in ("approve", "reject", "abstain") for v in row)
        return dump

    dump_open = check_moment()
    # The reader pairs each voter with a ciphertext (storage order, or xmin on PostgreSQL) — and with the key held
    # only by the test, shows the pairing is all that is missing; without it, nothing decrypts.
    ballots = [bytes(c) for c in Ballot.objects.filter(poll=poll).values_list("ciphertext", flat=True)]
    assert len(ballots) == 5
    secret = sum(s.secret * sealing.lagrange_at_zero(s.index, [x.index for x in shares]) for s in shares) % sealing.L
    seal = PollSeal.objects.get(poll=poll)
    assert seal.slots_per_cipher >= 3  # the three choices packed in one ciphertext
    choice_points = [sealing.base_mul(1 << (seal.slot_bits * i)) for i in range(3)]
    decrypted = []
    for ciphertext in ballots:
        ((c1, c2),) = sealing.slots_of(ciphertext, 1)
        decrypted.append(choice_points.index(sealing.sub(c2, sealing.mul(secret, c1))))
    assert sorted(decrypted) == sorted(["approve", "reject", "abstain"].index(c) for c in choices)

    poll = services.poll_close(actor=None, poll=poll)
    services.poll_unseal(actor=None, poll=poll, teller=tellers[2], code=codes[tellers[2].pk])
    check_moment()  # counting, one share unsealed
    poll = services.poll_unseal(actor=None, poll=poll, teller=tellers[0], code=codes[tellers[0].pk])
    assert (poll.approve, poll.reject, poll.abstain) == (2, 2, 1)
    dump_closed = check_moment()
    # The brute force over every offset of the ballot and seal pages finds neither the key nor a share.
    verifications = [s.verification for s in shares]
    small = [b for b in dump_open + dump_closed if len(b) <= 200_000]
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            pages = []
            for table in (Ballot._meta.db_table, VoterMark._meta.db_table, "meetings_pollseal", "meetings_sealshare"):
                cursor.execute("SELECT pg_relation_size(%s::regclass) / 8192", [table])
                for block in range(cursor.fetchone()[0]):
                    cursor.execute("SELECT get_raw_page(%s, %s)", [table, block])
                    pages.append(bytes(cursor.fetchone()[0]))
        small = pages
    else:
        small = [b for b in small if len(b) >= 32 and len(b) <= 4096]
    assert sum(len(b) for b in small) >= (4 * 8192 if vendor == "postgresql" else 1000)
    assert _scalar_scan(small, public_key, verifications) == 0


@pytest.mark.django_db
def test_a_database_writer_who_swaps_a_tellers_key_is_caught_at_opening(world):
    """Someone writing to the database puts their own key in place of a teller's before opening, to be sent that
    teller's share: the opening is refused and names the teller, who takes a new code."""
    _meeting_, poll, people = _sealed_poll(world)
    tellers = people[-3:]
    _take_codes(poll, tellers)
    _private, theirs = sealing.code_keypair("ATTACKER", b"x")
    SealShare.objects.filter(seal__poll=poll, teller=tellers[1]).update(recipient=theirs)
    with pytest.raises(DomainError) as refused:
        services.poll_open(actor=None, poll=poll)
    assert refused.value.messages == [
        "Khóa nhận của người kiểm phiếu đã bị thay đổi ngoài phần mềm: Nguyễn Văn Ủy Viên 6. Hãy nhận mã mới."
    ]
    services.teller_code_take(actor=None, poll=poll, teller=tellers[1])
    assert services.poll_open(actor=None, poll=poll).status == "open"


@pytest.mark.django_db
def test_a_swapped_public_key_or_sum_is_refused_and_the_poll_can_be_voided_and_held_again(world, split_log):
    meeting, poll, people = _sealed_poll(world)
    tellers = people[-3:]
    codes = _take_codes(poll, tellers)
    poll = services.poll_open(actor=None, poll=poll)
    real = bytes(PollSeal.objects.get(poll=poll).public_key)
    attacker_key, _shares = sealing.split(1, 1)
    PollSeal.objects.filter(poll=poll).update(public_key=attacker_key)  # to read every ballot as it is cast
    with pytest.raises(DomainError) as refused:
        services.vote_cast(actor=None, poll=Poll.objects.get(pk=poll.pk), person=people[0], choice="approve")
    assert refused.value.code == "seal_tampered" and not Ballot.objects.filter(poll=poll).exists()
    PollSeal.objects.filter(poll=poll).update(public_key=real)
    _vote(poll, people, ["approve", "reject", "approve", "abstain", "approve", "reject", "approve"])
    poll = services.poll_close(actor=None, poll=poll)
    one_ballot = bytes(Ballot.objects.filter(poll=poll).first().ciphertext)
    PollSeal.objects.filter(poll=poll).update(total=one_ballot)  # to have the tellers decrypt one voter's ballot
    with pytest.raises(DomainError) as refused:
        services.poll_unseal(actor=None, poll=poll, teller=tellers[0], code=codes[tellers[0].pk])
    assert refused.value.messages == [
        "Niêm phong của cuộc bỏ phiếu đã bị thay đổi ngoài phần mềm; không thể tiếp tục. Hãy hủy cuộc bỏ phiếu."
    ]
    assert not SealShare.objects.filter(seal__poll=poll, partial__isnull=False).exists()
    # Stuck: the meeting cannot vote again nor end while the poll is counting — the office voids it, with a reason.
    with pytest.raises(DomainError):
        services.meeting_close(actor=None, meeting=meeting)
    with pytest.raises(DomainError) as refused:
        services.poll_void(actor=None, poll=poll, reason="  ")
    assert refused.value.messages == ["Hãy ghi lý do hủy cuộc bỏ phiếu."]
    poll = services.poll_void(actor=None, poll=poll, reason="Niêm phong bị thay đổi")
    assert (poll.status, poll.approve) == ("void", None) and not Ballot.objects.filter(poll=poll).exists()
    assert AuditEvent.objects.filter(action="poll_void").count() == 1
    again = services.poll_create(actor=None, item=poll.item, question="Thông qua nghị quyết (lại)", kind="secret")
    assert services.poll_open(actor=None, poll=again).status == "open"
    with pytest.raises(DomainError):
        services.poll_void(actor=None, poll=poll, reason="Lần nữa")  # only an unfinished poll


@pytest.mark.django_db
def test_the_office_voids_a_poll_its_tellers_cannot_unseal_from_the_meeting_page(world, client):
    meeting, poll, people = _sealed_poll(world)
    _take_codes(poll, people[-3:])
    poll = services.poll_open(actor=None, poll=poll)
    _vote(poll, people, ["approve"] * 7)
    services.poll_close(actor=None, poll=poll)
    client.force_login(world.users["admin"])
    assert 'data-testid="void-form"' in client.get(meeting.get_absolute_url()).content.decode()
    page = client.post(
        reverse("meetings:poll_void", args=[poll.pk]), {"reason": "Hai người kiểm phiếu mất mã"}, follow=True
    ).content.decode()
    assert "Đã hủy cuộc bỏ phiếu; hội nghị có thể bỏ phiếu lại." in page
    assert Poll.objects.get(pk=poll.pk).status == "void"
    services.meeting_close(actor=None, meeting=meeting)


@pytest.mark.django_db
def test_a_vote_sent_as_the_poll_opens_finds_its_seal(world):
    """The voter's page loaded the poll before it opened (no seal yet); the vote after opening is recorded."""
    _meeting_, item, people = _meeting(world, size=3, present=3)
    draft = services.poll_create(actor=None, item=item, question="Q", kind="secret")
    stale = Poll.objects.get(pk=draft.pk)
    services.poll_open(actor=None, poll=draft)
    assert len(services.vote_cast(actor=None, poll=stale, person=people[0], choice="approve")) == 64


def test_the_bulletin_check_reports_swapped_shares_and_malformed_values():
    public_key, shares = sealing.split(2, 3)
    ballots = [sealing.encrypt(public_key, [1, 0, 0]) for _ in range(3)]
    total = sealing.aggregate(ballots, 3)
    rows = []
    for share in shares[:2]:
        partial, proof = sealing.partial_decrypt(total, share.secret, share.verification)
        rows.append((share, partial, proof))
    bulletin = {
        "slots": ["approve", "reject", "abstain"],
        "public_key": sealing.text(public_key),
        "threshold": 2,
        "seats": 0,
        "ballots": [sealing.text(b) for b in ballots],
        "receipts": [sealing.receipt(b) for b in ballots],
        "digest": sealing.digest(sealing.receipt(b) for b in ballots),
        "total": sealing.text(total),
        "shares": [
            {
                "index": s.index,
                "verification": sealing.text(s.verification),
                "partial": sealing.text(p) if p else None,
                "proof": sealing.text(pr) if pr else None,
            }
            for s, p, pr in rows + [(shares[2], None, None)]
        ],
        "counts": [3, 0, 0],
    }
    assert sealing.check_bulletin(bulletin) == []
    other, _ = sealing.split(1, 1)
    swapped = json.loads(json.dumps(bulletin))
    swapped["shares"][2]["verification"] = sealing.text(other)
    assert sealing.check_bulletin(swapped) == ["shares"]
    broken = {**bulletin, "total": sealing.text(b"\xff" * len(total))}
    assert sealing.check_bulletin(broken)[0].startswith("malformed")
    assert sealing.counts_problem(["approve", "reject", "abstain"], [1, 0, 0], 3, 0) == (
        "choices do not add up to the ballots"
    )
    assert sealing.counts_problem(["5:high", "5:medium", "5:low"], [1, 1, 1], 3, 0) is None
    assert sealing.counts_problem(["5", "6"], [3, 3], 3, 1) == "more votes than the ballots allow"


def test_slots_are_packed_into_as_few_ciphertexts_as_the_number_of_voters_allows():
    # A slot's count is at most the number of voters: its bits, and as many slots as fit in 26 bits to a plaintext.
    assert sealing.packing_for(3) == sealing.Packing(bits=2, per=13)
    assert sealing.packing_for(60) == sealing.Packing(bits=6, per=4)
    assert sealing.packing_for(5_000) == sealing.Packing(bits=13, per=2)
    assert sealing.packing_for(8_191) == sealing.Packing(bits=13, per=2)
    assert sealing.packing_for(8_192) == sealing.UNPACKED  # 14 bits: one slot a ciphertext
    assert sealing.packing_for(20_000) == sealing.UNPACKED
    packing = sealing.packing_for(60)
    assert packing.ciphers(50) == 13 and packing.ciphers(3) == 1
    assert packing.pack([1, 0, 1, 1, 1]) == [1 + (1 << 12) + (1 << 18), 1]
    assert packing.unpack([5 + (60 << 6) + (7 << 12) + (1 << 18), 2], 5) == [5, 60, 7, 1, 2]

    public_key, shares = sealing.split(2, 3)
    choices = [[1, 0, 1, 1, 0], [1, 1, 0, 1, 0], [0, 0, 0, 1, 1]]
    ballots = [sealing.encrypt(public_key, plain, packing) for plain in choices]
    assert {len(b) for b in ballots} == {2 * sealing.SLOT}  # five slots in two ciphertexts, not five
    total = sealing.aggregate(ballots, packing.ciphers(5))
    partials = {s.index: sealing.partial_decrypt(total, s.secret, s.verification)[0] for s in shares[1:]}
    assert sealing.combine(total, partials, 3, packing, 5) == [2, 1, 1, 3, 1]
    # A box holding more ballots than the packing was made for could carry one slot's count into the next: the
    # count refuses it rather than giving a wrong result.
    with pytest.raises(sealing.SealError):
        sealing.combine(total, partials, 64, packing, 5)


def test_a_vote_looks_up_its_plaintext_points_made_together_for_the_packing():
    """A congress of 5,000: two slots to a ciphertext, so four plaintexts, all made before the first vote needs one
    (the lookup costs the same whatever the choice); a packing of more than 2^8 plaintexts multiplies instead."""
    packing = sealing.packing_for(5_000)
    points = sealing._points_of(packing)
    assert points == {m: sealing.base_mul(m + 1) for m in (0, 1, 1 << 13, (1 << 13) + 1)}
    assert sealing._points_of(sealing.packing_for(3)) is None  # 13 slots to a ciphertext: 8,192 plaintexts
    public_key, shares = sealing.split(1, 1)
    choices = [[1] * 50, [0] * 50, [1, 0] * 25, [0, 1] * 25]
    ballots = [sealing.encrypt(public_key, plain, packing) for plain in choices]
    assert {len(b) for b in ballots} == {25 * sealing.SLOT}
    total = sealing.aggregate(ballots, 25)
    partials = {1: sealing.partial_decrypt(total, shares[0].secret, shares[0].verification)[0]}
    assert sealing.combine(total, partials, 4, packing, 50) == [2] * 50


def test_a_packed_bulletin_is_checked_with_its_packing():
    packing = sealing.packing_for(60)
    public_key, shares = sealing.split(1, 1)
    ballots = [sealing.encrypt(public_key, plain, packing) for plain in ([1, 0, 0], [0, 0, 1], [1, 0, 0])]
    total = sealing.aggregate(ballots, 1)
    partial, proof = sealing.partial_decrypt(total, shares[0].secret, shares[0].verification)
    bulletin = {
        "slots": ["approve", "reject", "abstain"],
        "packing": {"bits": packing.bits, "per": packing.per},
        "public_key": sealing.text(public_key),
        "threshold": 1,
        "seats": 0,
        "ballots": [sealing.text(b) for b in ballots],
        "receipts": [sealing.receipt(b) for b in ballots],
        "digest": sealing.digest(sealing.receipt(b) for b in ballots),
        "total": sealing.text(total),
        "shares": [
            {
                "index": 1,
                "verification": sealing.text(shares[0].verification),
                "partial": sealing.text(partial),
                "proof": sealing.text(proof),
            }
        ],
        "counts": [2, 0, 1],
    }
    assert sealing.check_bulletin(bulletin) == []
    assert sealing.check_bulletin({**bulletin, "counts": [1, 1, 1]}) == ["counts"]
    assert sealing.check_bulletin({**bulletin, "packing": {"bits": 64, "per": 4}}) == ["packing"]
    # Read as if unpacked, the one ciphertext is not the three the slots need.
    assert sealing.check_bulletin({**bulletin, "packing": {"bits": 0, "per": 1}}) == ["total", "counts"]


def test_a_poll_is_packed_for_the_length_of_its_meetings_list(world):
    meeting, item, people = _meeting(world, size=7, present=7, item_kind=ItemKind.ELECTION)
    poll = services.poll_create(actor=None, item=item, question="Bầu", kind="secret", method="candidates", seats=4)
    for person in people[:5]:
        services.candidate_add(actor=None, poll=poll, person=person)
    poll = services.poll_open(actor=None, poll=poll)
    seal = PollSeal.objects.get(poll=poll)
    assert (seal.slot_bits, seal.slots_per_cipher) == (3, 8)  # 7 on the list
    ids = sorted(poll.candidates.values_list("pk", flat=True))
    for person, chosen in zip(people, [ids[:2], ids[1:3], ids[:1], [ids[4]], ids[3:5], ids[:2], []], strict=True):
        receipt = services.vote_cast(actor=None, poll=poll, person=person, selection=chosen)
        assert len(receipt) == 64
    assert {len(bytes(c)) for c in Ballot.objects.filter(poll=poll).values_list("ciphertext", flat=True)} == {64}
    poll = services.poll_close(actor=None, poll=poll)
    votes = dict(poll.candidates.values_list("pk", "votes"))
    assert [votes[pk] for pk in ids] == [3, 3, 1, 1, 2]
    assert sealing.check_bulletin(selectors.seal_bulletin(poll)) == []
