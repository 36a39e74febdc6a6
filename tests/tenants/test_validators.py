import pytest
from django.core.exceptions import ValidationError

from tenants.validators import RESERVED_SUBDOMAINS, bin_check_digit, validate_bin, validate_subdomain


@pytest.mark.parametrize("bin_number", ["940140000385", "010140001012", "020240002026"])
def test_valid_bins_pass(bin_number):
    validate_bin(bin_number)


@pytest.mark.parametrize(
    ("bin_number", "code"),
    [
        ("94014000038", "bin_format"),  # 11 digits
        ("9401400003850", "bin_format"),  # 13 digits
        ("94014000038a", "bin_format"),
        ("９４０１４００００３８５", "bin_format"),  # full-width digits are not ASCII digits
        ("940140000386", "bin_checksum"),  # last digit off by one
        ("490140000385", "bin_checksum"),  # two digits swapped
    ],
)
def test_invalid_bins_are_refused_with_reason(bin_number, code):
    with pytest.raises(ValidationError) as error:
        validate_bin(bin_number)
    assert error.value.code == code


FIRST_WEIGHTS = range(1, 12)
SECOND_WEIGHTS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]


def _weighted(digits: str, weights) -> int:
    return sum(weight * int(digit) for weight, digit in zip(weights, digits, strict=True)) % 11


def test_check_digit_falls_back_to_second_weights_when_first_sum_gives_ten():
    numbers = (f"{n:011d}" for n in range(1, 100_000))
    digits = next(n for n in numbers if _weighted(n, FIRST_WEIGHTS) == 10 and _weighted(n, SECOND_WEIGHTS) != 10)
    assert bin_check_digit(digits) == _weighted(digits, SECOND_WEIGHTS)


def test_number_with_no_possible_check_digit_is_refused():
    numbers = (f"{n:011d}" for n in range(1, 1_000_000))
    digits = next(n for n in numbers if _weighted(n, FIRST_WEIGHTS) == 10 and _weighted(n, SECOND_WEIGHTS) == 10)
    assert bin_check_digit(digits) is None
    for last in "0123456789":
        with pytest.raises(ValidationError):
            validate_bin(digits + last)


@pytest.mark.parametrize("subdomain", ["school-7", "a", "gymnasium2", "x" * 50])
def test_valid_subdomains_pass(subdomain):
    validate_subdomain(subdomain)


@pytest.mark.parametrize(
    ("subdomain", "code"),
    [
        ("School-7", "subdomain_format"),
        ("-school", "subdomain_format"),
        ("school-", "subdomain_format"),
        ("school_7", "subdomain_format"),
        ("school.7", "subdomain_format"),
        ("мектеп", "subdomain_format"),
        ("x" * 51, "subdomain_length"),
        ("www", "subdomain_reserved"),
        ("admin", "subdomain_reserved"),
        ("api", "subdomain_reserved"),
    ],
)
def test_invalid_subdomains_are_refused_with_reason(subdomain, code):
    with pytest.raises(ValidationError) as error:
        validate_subdomain(subdomain)
    assert error.value.code == code


def test_reserved_subdomains_include_the_obvious_ones():
    assert {"www", "admin", "api", "static", "media"} <= RESERVED_SUBDOMAINS
