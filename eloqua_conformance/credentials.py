"""Credentials given as `basic:SITE\\USER:PASSWORD` or `bearer:TOKEN`, and their masking in every form."""

from __future__ import annotations

import base64
import binascii
import re
import shlex
import string
import threading
from dataclasses import dataclass
from urllib.parse import unquote

__all__ = ["MASK", "BasicLogin", "Credential", "CredentialError", "Redactor", "Secret", "basic_header",
           "decode_basic", "parse_credential"]  # fmt: skip

MASK = "***"


class CredentialError(ValueError):
    """A credential string that is not `basic:SITE\\USER:PASSWORD` or `bearer:TOKEN`, or cannot be sent."""


class Secret(str):
    """A string that never shows itself in a repr (pytest's `-l` prints locals with repr)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(MASK)


def basic_header(site: str, user: str, password: str) -> str:
    """The Authorization value Eloqua expects: Basic base64(`Site\\User:Password`)."""
    raw = f"{site}\\{user}:{password}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


@dataclass(frozen=True)
class BasicLogin:
    """What a Basic token says: `site\\user:password`."""

    site: str
    user: str
    password: str

    def __repr__(self) -> str:
        return f"BasicLogin({self.site}\\{self.user}:{MASK})"


def decode_basic(token: str) -> BasicLogin | None:
    """The site, user and password in a Basic token; None when it is not base64 of UTF-8 `SITE\\USER:PASSWORD`."""
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        return None
    login, colon, password = decoded.partition(":")
    site, backslash, user = login.partition("\\")
    return BasicLogin(site, user, password) if colon and backslash else None


@dataclass(frozen=True)
class Credential:
    """One identity's credentials; `repr` never shows the secret."""

    scheme: str  # "basic" or "bearer"
    site: str = ""
    user: str = ""
    secret: str = ""  # the password, or the bearer token

    def header(self) -> str:
        if self.scheme == "bearer":
            return Secret(f"Bearer {self.secret}")
        return Secret(basic_header(self.site, self.user, self.secret))

    def secrets(self) -> tuple[str, ...]:
        """Every string that would reveal this credential if printed (the Redactor adds their encodings)."""
        if self.scheme == "bearer":
            return (self.secret,)
        return (self.secret, self.header().split(" ", 1)[1])

    def describe(self) -> str:
        """Who this is, with the secret masked."""
        if self.scheme == "bearer":
            return f"bearer:{MASK}"
        return f"basic:{self.site}\\{self.user}:{MASK}"

    def curl_auth(self, variable: str) -> tuple[tuple[str, ...], str]:
        """curl arguments that send this credential from environment variable `variable`, and how to set it.

        Basic: `-u "$ELOQUA_AUTH"` with ELOQUA_AUTH='SITE\\USER:PASSWORD'; bearer: the header with the token.
        """
        if self.scheme == "bearer":
            return ("-H", f'"Authorization: Bearer ${variable}"'), f"export {variable}='TOKEN'"
        return ("-u", f'"${variable}"'), f"export {variable}='{self.site}\\{self.user}:PASSWORD'"

    def curl_auth_varied(self, password: str, variable: str) -> tuple[str, ...] | None:
        """curl arguments sending this Basic credential with `password` instead of its own, derived in the shell
        from `variable` (which holds SITE\\USER:PASSWORD), for the varied passwords AUTHN-02 sends: with a suffix,
        one character short, in other case. None when the shell cannot derive it exactly (a cut or a case change
        outside ASCII, which bash in the C locale and `tr` do not make as Python does)."""
        if self.scheme != "basic":
            return None
        if password.startswith(self.secret) and password != self.secret:
            suffix = password[len(self.secret) :]
            return ("-u", f'"${{{variable}}}"{shlex.quote(suffix)}')
        if password == self.secret[:-1] and self.secret[-1:].isascii():
            return ("-u", f'"${{{variable}%?}}"')
        if password != self.secret and password == self.secret.translate(_ASCII_SWAP):
            return ("-u", f'"${{{variable}%%:*}}:$(printf %s "${{{variable}#*:}}" | tr a-zA-Z A-Za-z)"')
        return None

    def __repr__(self) -> str:
        return f"Credential({self.describe()})"


_ASCII_SWAP = str.maketrans(string.ascii_letters, string.ascii_uppercase + string.ascii_lowercase)


def _unsendable(token: str) -> str | None:
    """Why `token` cannot stand in an HTTP header as it is (None: it can); never quotes the token itself."""
    for position, char in enumerate(token, 1):
        if not ("!" <= char <= "~"):
            kind = "whitespace" if char.isspace() else "a non-ASCII or control character"
            return f"character {position} is {kind} (U+{ord(char):04X}); a header carries only visible ASCII"
    return None


def _not_utf8(*parts: str) -> bool:
    try:
        for part in parts:
            part.encode("utf-8")
    except UnicodeError:
        return True
    return False


def parse_credential(text: str) -> Credential:
    """Parse `basic:SITE\\USER:PASSWORD` or `bearer:TOKEN`; messages never echo the secret."""
    scheme, sep, rest = text.partition(":")
    if not sep or scheme not in {"basic", "bearer"}:
        raise CredentialError("expected basic:SITE\\USER:PASSWORD or bearer:TOKEN (missing or unknown scheme)")
    if scheme == "bearer":
        if not rest:
            raise CredentialError("bearer: the token is empty")
        why = _unsendable(rest)
        if why:
            raise CredentialError(f"bearer: the token cannot be sent in an Authorization header: {why}")
        return Credential("bearer", secret=rest)
    identity, sep, password = rest.partition(":")
    site, backslash, user = identity.partition("\\")
    if not sep or not backslash or not site or not user or not password:
        raise CredentialError("basic: expected SITE\\USER:PASSWORD with a non-empty site, user and password")
    if _not_utf8(site, user, password):
        raise CredentialError("basic: the credential is not valid text (undecodable bytes); it cannot be sent")
    return Credential("basic", site=site, user=user, secret=password)


# --- masking -------------------------------------------------------------------------------
_HTML_NAMED = {"&": ("&amp;",), "<": ("&lt;",), ">": ("&gt;",), '"': ("&quot;",), "'": ("&#39;", "&apos;")}
_JSON_SHORT = {'"': '\\"', "\\": "\\\\", "/": "\\/", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
# A run of base64 (standard or URL-safe, or percent-encoded): decoded, it may hide a secret.
_BASE64_RUN = r"[A-Za-z0-9+/_-]{{{least},}}={{0,2}}"
_ENCODED_BASE64_RUN = re.compile(r"(?:[A-Za-z0-9+/_-]+|%2[BbFf]|%3[Dd])+(?:=|%3[Dd]){0,2}")


def _hex(value: int, width: int = 2) -> str:
    """A case-insensitive regex for `value` written in hex, `width` digits at least."""
    return "".join(f"[{d.lower()}{d.upper()}]" if d.isalpha() else d for d in f"{value:0{width}X}")


def _char_forms(char: str) -> str:
    """A regex for `char` as itself or in any encoding an echo may use: percent, JSON, HTML."""
    forms = [re.escape(char)]
    forms.append("".join(f"%{_hex(b)}" for b in char.encode("utf-8", "surrogatepass")))
    if char == " ":
        forms.append(r"\+")
    point = ord(char)
    if point > 0xFFFF:  # JSON writes it as a surrogate pair
        high, low = 0xD800 + ((point - 0x10000) >> 10), 0xDC00 + ((point - 0x10000) & 0x3FF)
        forms.append(rf"\\u{_hex(high >> 8)}{_hex(high & 0xFF)}\\u{_hex(low >> 8)}{_hex(low & 0xFF)}")
    else:
        forms.append(rf"\\u{_hex(point >> 8)}{_hex(point & 0xFF)}")
    if char in _JSON_SHORT:
        forms.append(re.escape(_JSON_SHORT[char]))
    forms += [re.escape(entity) for entity in _HTML_NAMED.get(char, ())]
    forms += [f"&#0*{point};", f"&#[xX]0*{_hex(point, 1)};"]
    return "(?:" + "|".join(forms) + ")"


def _base64_cores(secret: bytes) -> tuple[str, str, str]:
    """The characters every base64 encoding of `secret` contains, for each of its three byte alignments.

    Base64 holding `secret` at byte offset p (mod 3) carries the characters whose six bits all fall inside
    it; they depend on `secret` and p only. A core may be empty (a secret of one byte), which rules nothing out.
    """
    cores = []
    for p in range(3):
        encoded = base64.b64encode(bytes(p) + secret).decode("ascii")
        cores.append(encoded[(8 * p + 5) // 6 : (8 * (p + len(secret))) // 6])
    return cores[0], cores[1], cores[2]


def _secret_pattern(secret: str) -> str:
    return "".join(_char_forms(char) for char in secret)


class Redactor:
    """Replaces every known secret in a text with a mask, in every form a text may carry it.

    Each secret is masked as itself and percent-, JSON- or HTML-encoded (wholly or in part, any hex case);
    and any run of base64 (standard, URL-safe or percent-encoded, at any alignment) that decodes to text
    holding a secret is masked whole. So a header the suite derives from a real password (AUTHN-02's
    `Site\\User:<password>-wrong`) is masked as well as the real one, wherever it is echoed.
    """

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        self._lock = threading.Lock()
        self._secrets: tuple[str, ...] = ()
        self._pattern: re.Pattern[str] | None = None
        self._raw: tuple[bytes, ...] = ()
        self._base64_run: re.Pattern[str] | None = None
        self._least = 4
        self._cores: tuple[str, ...] = ()
        self._maybe: re.Pattern[str] | None = None
        self.add(*secrets)

    def add(self, *secrets: str) -> None:
        with self._lock:
            # Longest first, so a password inside a longer token is not half-masked.
            known = sorted({*self._secrets, *(str(s) for s in secrets if s)}, key=len, reverse=True)
            self._secrets = tuple(known)
            self._pattern = None  # compiled when first needed: a run adds secrets several times before that
            raw = {s.encode("utf-8", "surrogatepass") for s in known}
            self._raw = tuple(sorted(raw, key=len, reverse=True))
            # base64 holding a secret of n bytes is at least 4n/3 characters long (and 4 at any alignment).
            self._least = max(4, (4 * min((len(s) for s in raw), default=1) + 2) // 3)
            self._base64_run = re.compile(_BASE64_RUN.format(least=self._least))
            cores = tuple(core for secret in self._raw for core in _base64_cores(secret))
            self._cores = cores if "" not in cores else ()  # an empty core rules nothing out: no screening
            # Every encoded form of a secret holds one of these characters; without any, only the secret itself
            # can appear, as it is. One search for either, in C.
            escapes = "%\\&" + ("+" if any(" " in secret for secret in known) else "")
            self._maybe = re.compile("|".join([re.escape(c) for c in escapes] + [re.escape(s) for s in known]))

    @property
    def secrets(self) -> tuple[str, ...]:
        return self._secrets

    def __call__(self, text: str) -> str:
        return self._mask(text, screen=True)

    def _mask(self, text: str, screen: bool) -> str:
        """`text` masked; `screen` first rules out, cheaply, the passes that cannot find anything in it.

        Screening changes no result (tests/test_client_bounds.py compares both ways); it spares the
        regular expressions most texts, which hold no secret in any form.
        """
        raw, base64_run = self._raw, self._base64_run
        if not self._secrets or base64_run is None or not text:
            return text
        # base64 first: a token that starts with the real one ("<token>LXdyb25n", a wrong password) goes whole.
        if "%" in text:  # percent-encoded base64 (%2B, %2F, %3D): a slower pattern, lengths checked here
            least = self._least
            text = _ENCODED_BASE64_RUN.sub(
                lambda found: self._base64(found.group(), raw) if len(found.group()) >= least else found.group(), text
            )
        elif not screen or self._may_hold_base64(text):
            text = base64_run.sub(lambda found: self._base64(found.group(), raw), text)
        if screen and self._maybe is not None and not self._maybe.search(text):
            return text
        return self._compiled().sub(MASK, text)

    def _compiled(self) -> re.Pattern[str]:
        with self._lock:
            if self._pattern is None:
                self._pattern = re.compile("|".join(_secret_pattern(s) for s in self._secrets))
            return self._pattern

    def _may_hold_base64(self, text: str) -> bool:
        """False when no base64 run in `text` can decode to a secret: it holds none of their cores."""
        standard = text.replace("-", "+").replace("_", "/")  # URL-safe base64 decodes as the standard alphabet
        return not self._cores or any(core in standard for core in self._cores)

    @staticmethod
    def _base64(run: str, raw: tuple[bytes, ...]) -> str:
        plain = unquote(run) if "%" in run else run
        plain = plain.rstrip("=").replace("-", "+").replace("_", "/")
        for offset in range(4):  # the base64 may start anywhere in the run ("BasicWnE5…")
            chunk = plain[offset:]
            if len(chunk) % 4 == 1:
                chunk = chunk[:-1]
            try:
                decoded = base64.b64decode(chunk + "=" * (-len(chunk) % 4))
            except (binascii.Error, ValueError):
                continue
            if any(secret in decoded for secret in raw):
                return MASK
        return run
