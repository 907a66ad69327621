#pragma once
// A dismissable strip above the views for problems the user should see without a modal dialog
// (a file that would not open, playback unavailable): the app stays usable while it shows.
#include <QFrame>

class QLabel;

namespace sonolab::ui {

class MessageBanner : public QFrame {
    Q_OBJECT
public:
    enum class Kind { Error, Warning, Info };
    explicit MessageBanner(QWidget* parent = nullptr);

    void showMessage(const QString& text, Kind kind = Kind::Error);
    QString text() const;

private:
    QLabel* label_;
};

}  // namespace sonolab::ui
