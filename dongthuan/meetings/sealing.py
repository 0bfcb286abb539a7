"""The sealed ballot box: threshold exponential ElGamal on the prime-order group of Ed25519, through libsodium.

A secret poll has a key pair made when it opens. Each ballot is a list of slots (one per choice, per candidate, or
per candidate and confidence level), each slot holding 0 or 1. The slots are packed into plaintexts — ``per`` slots
of ``bits`` bits each, ``bits`` wide enough for the number of voters so that sums never carry from one slot into
the next (``packing_for``) — and each plaintext ``m`` is encrypted under the poll's public key ``H = s·G`` as
``(r·G, r·H + m·G)`` with a fresh random ``r``. Ciphertexts add up, so the count of every slot is read from the
decryption of the sum of the ballots — no single ballot is ever decrypted. The private key ``s`` is never stored:
it is split at opening into Shamir shares (any ``threshold`` of them rebuild it), each share sealed (X25519 sealed
box) to a teller's key derived from a code that only the teller saw, or — for a poll without tellers — to a key
derived from a server setting that is not in the database. At counting, each teller's share decrypts only the sum
(a partial decryption ``s_i·A``, with a Chaum–Pedersen proof that it used the share whose public part is on
record); any ``threshold`` partial decryptions combine into ``s·A`` by Lagrange interpolation, and each packed sum
is the discrete logarithm of ``B − s·A``, found by baby steps and giant steps (the sums are below 2^26).

Why this scheme rather than Paillier (``phe``): libsodium is maintained and constant-time; a ballot of 50 slots
for a congress of 5,000 is 25 ciphertexts, about 75 scalar multiplications (three milliseconds), where Paillier
with a 2048-bit modulus costs tens of milliseconds per encryption; and threshold decryption of ElGamal is a few lines, where threshold Paillier needs a
trusted dealer of a special modulus. The counts are small (at most the number of voters), so the final discrete
logarithms take a table of at most 65,536 points.

Everything here is pure: bytes and integers in, bytes and integers out.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import os
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nacl import bindings as sodium
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox

# The order of the prime-order subgroup of Ed25519.
L = 2**252 + 27742317777372353535851937790883648493
POINT = 32
SLOT = 2 * POINT  # one ciphertext: C1 || C2
IDENTITY = b"\x01" + b"\x00" * 31
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O, U
CODE_LENGTH = 20  # 100 bits


class SealError(Exception):
    """A code that does not open its share, a proof that does not hold, or a count out of range."""


def _scalar(value: int) -> bytes:
    return (value % L).to_bytes(32, "little")


def _int(scalar: bytes) -> int:
    return int.from_bytes(scalar, "little")


def random_scalar() -> int:
    return _int(sodium.crypto_core_ed25519_scalar_reduce(os.urandom(64))) or 1


def base_mul(k: int) -> bytes:
    return sodium.crypto_scalarmult_ed25519_base_noclamp(_scalar(k))


def mul(k: int, point: bytes) -> bytes:
    return sodium.crypto_scalarmult_ed25519_noclamp(_scalar(k), point)


def add(p: bytes, q: bytes) -> bytes:
    if p == IDENTITY:
        return q
    if q == IDENTITY:
        return p
    return sodium.crypto_core_ed25519_add(p, q)


def sub(p: bytes, q: bytes) -> bytes:
    if q == IDENTITY:
        return p
    return sodium.crypto_core_ed25519_sub(p, q)


G = base_mul(1)


def _hash_scalar(*parts: bytes) -> int:
    digest = hashlib.sha512(b"dongthuan/ballot-seal/v1")
    for part in parts:
        digest.update(len(part).to_bytes(4, "big") + part)
    return _int(sodium.crypto_core_ed25519_scalar_reduce(digest.digest()))


# --- ballots ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Packing:
    """How a ballot's slots are packed into ciphertexts: ``per`` slots to one plaintext, each in ``bits`` bits
    (``bits`` = 0: one slot a ciphertext, unpacked). A slot's count never exceeds the number of voters, so with
    ``bits`` wide enough for that number the sums of packed slots never carry into each other."""

    bits: int = 0
    per: int = 1

    def ciphers(self, slots: int) -> int:
        """How many ciphertexts a ballot of ``slots`` slots has."""
        return -(-slots // self.per)

    def pack(self, plain: Sequence[int]) -> list[int]:
        return [
            sum(m << (self.bits * j) for j, m in enumerate(plain[i : i + self.per]))
            for i in range(0, len(plain), self.per)
        ]

    def unpack(self, values: Sequence[int], slots: int) -> list[int]:
        if self.per == 1:
            return list(values)
        mask = (1 << self.bits) - 1
        counts = [(value >> (self.bits * j)) & mask for value in values for j in range(self.per)]
        return counts[:slots]

    def largest(self, most: int) -> int:
        """The largest plaintext a sum of ballots holds when no slot counts more than ``most``."""
        if self.per == 1:
            return most
        if most >> self.bits:
            raise SealError("more ballots than the packing was made for")
        return sum(most << (self.bits * j) for j in range(self.per))


UNPACKED = Packing()
# The widest packed plaintext: its discrete logarithm is found at counting with tables of a few thousand points.
PACKED_BITS = 26


def packing_for(voters: int) -> Packing:
    """The packing of a poll with at most ``voters`` ballots: as many slots to a ciphertext as fit in
    ``PACKED_BITS`` — two for a congress of 5,000, four for a committee of 60. Each ciphertext costs one variable-
    base scalar multiplication, most of the work of casting a ballot."""
    bits = max(1, voters.bit_length())
    per = PACKED_BITS // bits
    return Packing(bits=bits, per=per) if per > 1 else UNPACKED


# The points (m+1)·G of the plaintexts a packing's ciphertexts can hold, made once per process: a ciphertext of
# ``per`` slots of 0 or 1 holds one of 2^per plaintexts (4 for a congress of 5,000), so a vote looks each up instead
# of multiplying. All of them are made together, before the first vote uses any, so that the lookup takes the same
# time whatever the choice.
PLAIN_POINTS_AT_MOST = 256
_plain_points: dict[Packing, dict[int, bytes]] = {}


def _points_of(packing: Packing) -> dict[int, bytes] | None:
    if 2**packing.per > PLAIN_POINTS_AT_MOST:
        return None
    points = _plain_points.get(packing)
    if points is None:
        plains = {
            sum(1 << (packing.bits * j) for j in range(packing.per) if pattern >> j & 1)
            for pattern in range(2**packing.per)
        }
        points = {m: base_mul(m + 1) for m in plains}
        _plain_points[packing] = points
    return points


def encrypt(public_key: bytes, plain: Sequence[int], packing: Packing = UNPACKED) -> bytes:
    """A ballot: its slots' 0s and 1s, packed, each plaintext ``m`` encrypted with its own randomness as
    ``(r·G, r·H + m·G)``. ``m·G`` is computed as ``(m+1)·G − G`` (never the identity, which libsodium refuses), so
    the work is the same whatever the choice; ``(m+1)·G`` comes from the packing's table where it has one."""
    points = _points_of(packing)
    out = bytearray()
    for m in packing.pack(plain):
        r = random_scalar()
        shifted = points[m] if points is not None and m in points else base_mul(m + 1)
        out += base_mul(r) + sub(add(mul(r, public_key), shifted), G)
    return bytes(out)


def slots_of(ciphertext: bytes, width: int) -> list[tuple[bytes, bytes]]:
    """A ballot's ciphertexts (``width`` of them) as pairs of points."""
    if len(ciphertext) != width * SLOT:
        raise SealError("ballot of the wrong size")
    return [
        (ciphertext[i * SLOT : i * SLOT + POINT], ciphertext[i * SLOT + POINT : (i + 1) * SLOT]) for i in range(width)
    ]


def aggregate(ciphertexts: Iterable[bytes], width: int) -> bytes:
    """The sum of the ballots, ciphertext by ciphertext (the identity for a poll with no ballot)."""
    a = [IDENTITY] * width
    b = [IDENTITY] * width
    for ciphertext in ciphertexts:
        for i, (c1, c2) in enumerate(slots_of(ciphertext, width)):
            a[i] = add(a[i], c1)
            b[i] = add(b[i], c2)
    return b"".join(x + y for x, y in zip(a, b, strict=True))


def receipt(ciphertext: bytes) -> str:
    """What a voter is shown: the hash of their own ciphertext. It shows the ballot was counted, not its choice."""
    return hashlib.sha256(ciphertext).hexdigest()


def digest(receipts: Iterable[str]) -> str:
    """One hash over the sorted receipts: the fingerprint of the box that was counted."""
    return hashlib.sha256("\n".join(sorted(receipts)).encode()).hexdigest()


# --- keys and shares --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    index: int  # 1..n
    secret: int
    verification: bytes  # secret·G, public


def split(threshold: int, count: int) -> tuple[bytes, list[Share]]:
    """A fresh key pair, its private key split into ``count`` shares of which any ``threshold`` rebuild it. The
    private key itself is returned to no one: only its public key and the shares."""
    if not 1 <= threshold <= count:
        raise ValueError("threshold out of range")
    coefficients = [random_scalar() for _ in range(threshold)]
    public_key = base_mul(coefficients[0])
    shares = []
    for x in range(1, count + 1):
        y = sum(c * pow(x, k, L) for k, c in enumerate(coefficients)) % L
        shares.append(Share(index=x, secret=y, verification=base_mul(y)))
    coefficients.clear()
    return public_key, shares


def lagrange_at(x: int, index: int, indices: Sequence[int]) -> int:
    """The weight of the share at ``index`` when the shares at ``indices`` are interpolated at ``x``."""
    numerator, denominator = 1, 1
    for j in indices:
        if j != index:
            numerator = numerator * (j - x) % L
            denominator = denominator * (j - index) % L
    return numerator * pow(denominator, -1, L) % L


def lagrange_at_zero(index: int, indices: Sequence[int]) -> int:
    return lagrange_at(0, index, indices)


def shares_consistent(public_key: bytes, verifications: dict[int, bytes], threshold: int) -> bool:
    """The shares' public parts lie on one polynomial of degree ``threshold`` − 1 whose value at 0 is the poll's
    public key: no share was swapped for another key's."""
    first = sorted(verifications)[:threshold]
    for x, expected in [(0, public_key), *sorted(verifications.items())]:
        point = IDENTITY
        for i in first:
            weight = lagrange_at(x, i, first)
            if weight:  # 0 where x is another of the shares interpolated
                point = add(point, mul(weight, verifications[i]))
        if point != expected:
            return False
    return True


def counts_problem(method_slots: list[str], counts: list[int], ballots: int, seats: int) -> str | None:
    """Why ``counts`` cannot be the sum of ``ballots`` valid ballots over these slots, or None: a choice poll's
    three counts add up to the ballots; each person's confidence levels add up to the ballots; every slot is at
    most the ballots; a list's votes are at most ``seats`` per ballot."""
    if len(counts) != len(method_slots) or any(n < 0 or n > ballots for n in counts):
        return "counts out of range"
    if method_slots and ":" in method_slots[0]:
        people: dict[str, int] = {}
        for slot, n in zip(method_slots, counts, strict=True):
            people[slot.split(":")[0]] = people.get(slot.split(":")[0], 0) + n
        if any(total != ballots for total in people.values()):
            return "confidence levels do not add up to the ballots"
    elif method_slots and method_slots[0] == "approve":
        if sum(counts) != ballots:
            return "choices do not add up to the ballots"
    elif sum(counts) > ballots * max(seats, 1):
        return "more votes than the ballots allow"
    return None


def new_code() -> str:
    """A teller's seal code, shown once: 20 characters of Crockford base 32 (100 bits), in groups of four."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalize_code(code: str) -> str:
    cleaned = "".join(ch for ch in str(code).upper() if ch.isalnum())
    return cleaned.translate(str.maketrans("OIL", "011"))[: CODE_LENGTH * 2]


def code_keypair(code: str, context: bytes) -> tuple[bytes, bytes]:
    """The X25519 key pair a code stands for (private, public). ``context`` ties it to one poll."""
    seed = hashlib.sha256(b"dongthuan/teller-code/v1\x00" + context + b"\x00" + normalize_code(code).encode())
    private = PrivateKey(seed.digest())
    return bytes(private), bytes(private.public_key)


def seal_share(share: Share, recipient: bytes) -> bytes:
    return SealedBox(PublicKey(recipient)).encrypt(_scalar(share.secret))


def open_share(box: bytes, private_key: bytes, verification: bytes) -> int:
    try:
        secret = _int(SealedBox(PrivateKey(private_key)).decrypt(box))
    except CryptoError:
        raise SealError("wrong code") from None
    if base_mul(secret) != verification:
        raise SealError("share does not match its public part")
    return secret


def server_key(setting: str, context: bytes) -> bytes:
    """The key that seals the share of a poll without tellers, derived from a server setting (never stored)."""
    return hmac.new(setting.encode(), b"dongthuan/server-seal/v1\x00" + context, hashlib.sha256).digest()


def server_seal(secret: int, key: bytes) -> bytes:
    return bytes(SecretBox(key).encrypt(_scalar(secret)))


def server_open(box: bytes, key: bytes, verification: bytes) -> int:
    try:
        secret = _int(SecretBox(key).decrypt(box))
    except CryptoError:
        raise SealError("wrong server key") from None
    if base_mul(secret) != verification:
        raise SealError("share does not match its public part")
    return secret


# --- counting ---------------------------------------------------------------------------------------------------


def _batch(total: bytes, partial: bytes, verification: bytes) -> tuple[bytes, bytes]:
    """One random-looking combination of all slots, so that one proof covers them all."""
    points = [total[i * SLOT : i * SLOT + POINT] for i in range(len(total) // SLOT)]
    parts = [partial[i * POINT : (i + 1) * POINT] for i in range(len(partial) // POINT)]
    a_star, d_star = IDENTITY, IDENTITY
    for k, (a, d) in enumerate(zip(points, parts, strict=True)):
        if a == IDENTITY:
            continue
        c = _hash_scalar(b"batch", total, partial, verification, k.to_bytes(4, "big"))
        a_star, d_star = add(a_star, mul(c, a)), add(d_star, mul(c, d))
    return a_star, d_star


def partial_decrypt(total: bytes, share: int, verification: bytes) -> tuple[bytes, bytes]:
    """A teller's part of the count: ``share·A`` for each slot's sum ``A``, with a Chaum–Pedersen proof that the
    same share is behind ``verification`` (= share·G). Nothing else is ever decrypted."""
    points = [total[i * SLOT : i * SLOT + POINT] for i in range(len(total) // SLOT)]
    partial = b"".join(IDENTITY if a == IDENTITY else mul(share, a) for a in points)
    a_star, d_star = _batch(total, partial, verification)
    w = random_scalar()
    t1 = base_mul(w)
    t2 = IDENTITY if a_star == IDENTITY else mul(w, a_star)
    c = _hash_scalar(verification, a_star, d_star, t1, t2)
    z = (w + c * share) % L
    return partial, t1 + t2 + _scalar(c) + _scalar(z)


def verify_partial(total: bytes, partial: bytes, proof: bytes, verification: bytes) -> bool:
    if len(partial) * 2 != len(total) or len(proof) != 4 * POINT:
        return False
    t1, t2, c_bytes, z_bytes = (proof[i * POINT : (i + 1) * POINT] for i in range(4))
    c, z = _int(c_bytes), _int(z_bytes)
    if c >= L or z >= L:
        return False
    a_star, d_star = _batch(total, partial, verification)
    if _hash_scalar(verification, a_star, d_star, t1, t2) != c:
        return False
    if base_mul(z) != add(t1, mul(c, verification)):
        return False
    if a_star == IDENTITY:
        return d_star == IDENTITY
    return mul(z, a_star) == add(t2, mul(c, d_star))


def combine(
    total: bytes, partials: dict[int, bytes], most: int, packing: Packing = UNPACKED, slots: int | None = None
) -> list[int]:
    """The count of every slot from ``threshold`` partial decryptions (index → partial): ``B − Σ λ_i·D_i`` is
    ``m·G`` for each ciphertext, with ``m`` at most ``packing.largest(most)``; ``m`` is found by baby steps and
    giant steps, then unpacked into the counts of the ballot's ``slots`` (all that the ciphertexts hold if None)."""
    indices = sorted(partials)
    weights = {i: lagrange_at_zero(i, indices) for i in indices}
    width = len(total) // SLOT
    plain = []
    for k in range(width):
        b = total[k * SLOT + POINT : (k + 1) * SLOT]
        shared = IDENTITY
        for i in indices:
            d = partials[i][k * POINT : (k + 1) * POINT]
            if d != IDENTITY:
                shared = add(shared, mul(weights[i], d))
        plain.append(sub(b, shared))
    largest = packing.largest(most)
    values = discrete_logs(plain, largest)
    return packing.unpack(values, width * packing.per if slots is None else slots)


def discrete_logs(points: Sequence[bytes], largest: int) -> list[int]:
    """For each point ``m·G`` with ``0 ≤ m ≤ largest``, its ``m``: one table of ``step`` baby steps shared by all
    the points, then giant steps of ``step·G`` down from each point (Shanks), with ``step`` chosen so that the
    table and the walks cost about the same."""
    step = min(1 << 16, max(1, math.isqrt(len(points) * (largest + 1)) + 1, math.isqrt(largest + 1) + 1))
    table = {IDENTITY: 0}
    point = IDENTITY
    for m in range(1, min(step, largest + 1)):
        point = add(point, G)
        table[point] = m
    giant = base_mul(step) if largest >= step else IDENTITY
    values = []
    for target in points:
        for j in range(largest // step + 1):
            found = table.get(target)
            if found is not None:
                values.append(j * step + found)
                break
            target = sub(target, giant)
        else:
            raise SealError("a slot's count is out of range")
    return values


def text(data: bytes) -> str:
    """Bytes as they are published for checking (base 64)."""
    return base64.b64encode(data).decode()


def check_bulletin(bulletin: dict) -> list[str]:  # type: ignore[type-arg]
    """Check a poll's published bulletin (``selectors.seal_bulletin``), as anyone present may: the ballots (when
    kept) match the receipts, the digest and the sum; every partial decryption is proved; the count is what the
    partial decryptions give. Returns the problems found (none: the count is the sum of the recorded ballots)."""
    try:
        return _check_bulletin(bulletin)
    except (RuntimeError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:  # libsodium
        # refuses a malformed point or scalar; a list or a string where an object belongs
        return [f"malformed: {error.__class__.__name__}"]


def _check_bulletin(bulletin: dict) -> list[str]:  # type: ignore[type-arg]
    problems = []
    slots = len(bulletin["slots"])
    packed = bulletin.get("packing") or {}
    packing = Packing(bits=int(packed.get("bits", 0)), per=int(packed.get("per", 1)))
    if packing != UNPACKED and packing != packing_for((1 << min(max(packing.bits, 1), PACKED_BITS)) - 1):
        return ["packing"]
    total = base64.b64decode(bulletin["total"])
    indices = [s["index"] for s in bulletin["shares"]]
    if len(set(indices)) != len(indices) or int(bulletin["threshold"]) < 1:
        # A share listed twice could carry a partial proved against a key of the forger's beside the public part
        # that the consistency check reads.
        return ["shares"]
    verifications = {s["index"]: base64.b64decode(s["verification"]) for s in bulletin["shares"]}
    if not shares_consistent(base64.b64decode(bulletin["public_key"]), verifications, bulletin["threshold"]):
        problems.append("shares")
    if hashlib.sha256("\n".join(sorted(bulletin["receipts"])).encode()).hexdigest() != bulletin["digest"]:
        problems.append("digest")
    if bulletin["ballots"]:
        ciphertexts = [base64.b64decode(c) for c in bulletin["ballots"]]
        if sorted(receipt(c) for c in ciphertexts) != sorted(bulletin["receipts"]):
            problems.append("receipts")
        try:
            summed = aggregate(ciphertexts, packing.ciphers(slots))
        except SealError:  # ballots of another size than the slots and packing give
            summed = b""
        if summed != total:
            problems.append("total")
    partials = {}
    proved = 0
    for share in bulletin["shares"]:
        if share["partial"] is None:
            continue
        partial, proof = base64.b64decode(share["partial"]), base64.b64decode(share["proof"])
        if verify_partial(total, partial, proof, base64.b64decode(share["verification"])):
            proved += 1
        else:
            problems.append(f"partial {share['index']}")
        partials[share["index"]] = partial
    if bulletin["counts"]:
        if proved < bulletin["threshold"]:
            # Without a threshold of proved partial decryptions a "sum" whose first half is the identity reads as
            # any count at all: only the tellers' shares make a count the decryption of the ballots.
            problems.append("partials")
        chosen = dict(sorted(partials.items())[: bulletin["threshold"]])
        try:
            counts = combine(total, chosen, len(bulletin["receipts"]), packing, slots)
        except SealError:
            counts = []
        if counts != bulletin["counts"]:
            problems.append("counts")
        if counts_problem(bulletin["slots"], bulletin["counts"], len(bulletin["receipts"]), bulletin.get("seats", 0)):
            problems.append("counts")
    return problems
