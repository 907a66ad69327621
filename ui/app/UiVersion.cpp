// Placeholder so sonolab_ui is a valid library before its first view lands; remove once ui/ has real sources.
