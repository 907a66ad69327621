// GUI tests need a QApplication before any widget exists; CTest runs them with QT_QPA_PLATFORM=offscreen.
#include <QApplication>
#include <QStandardPaths>

#include <gtest/gtest.h>

int main(int argc, char** argv) {
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("SonolabTests"));
    QApplication::setApplicationName(QStringLiteral("uisimilarity"));
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
