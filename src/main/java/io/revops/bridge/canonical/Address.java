package io.revops.bridge.canonical;

public record Address(String street, String city, String postalCode, String state, String country) {
}
