import ECStore

/// Namespace of the analytics layer.
public enum Analytics {}
