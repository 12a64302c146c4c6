import ArgumentParser

/// `--enable` or `--disable` on `endpoint update`.
enum DeliveryToggle: String, EnumerableFlag {
    case enable, disable
}
