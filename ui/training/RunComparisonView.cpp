#include "ui/training/RunComparisonView.h"

#include "core/library/LibraryDatabase.h"
#include "ui/training/RunRecorder.h"
#include "ui/widgets/LiveChart.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cstring>
#include <set>

namespace sonolab::ui {

namespace {

const QList<QColor>& runColours() {
    static const QList<QColor> c{QColor(0x1f77b4), QColor(0xd62728), QColor(0x2ca02c), QColor(0xff7f0e),
                                 QColor(0x9467bd), QColor(0x8c564b), QColor(0xe377c2), QColor(0x17becf)};
    return c;
}

void flatten(const QJsonObject& o, const QString& prefix, std::map<QString, QString>& out) {
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString key = prefix.isEmpty() ? it.key() : prefix + '.' + it.key();
        if (it->isObject()) flatten(it->toObject(), key, out);
        else out[key] = it->isString() ? it->toString() : it->isBool() ? (it->toBool() ? "true" : "false")
                                                                         : QString::number(it->toDouble(), 'g', 8);
    }
}

}  // namespace

std::map<std::string, std::vector<QPointF>> loadRunCurves(library::LibraryDatabase& db, library::RunId run) {
    std::map<std::string, std::vector<QPointF>> curves;
    for (const library::RunPoint& p : db.runPoints(run)) curves[p.series].emplace_back(double(p.step), p.value);
    return curves;
}

RunComparisonView::RunComparisonView(QWidget* parent) : QWidget(parent) {
    loss_ = new LiveChart;
    loss_->setTitle(tr("Loss per epoch"));
    loss_->setAxisTitles(tr("epoch"), tr("loss"));
    metric_ = new LiveChart;
    metric_->setAxisTitles(tr("epoch"), QString());
    metricBox_ = new QComboBox;
    metricBox_->setToolTip(tr("The validation metric to overlay"));
    params_ = new QTableWidget;
    params_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    params_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    params_->setToolTip(tr("Hyperparameters of the selected runs; highlighted rows differ"));

    auto* charts = new QWidget;
    auto* chartLayout = new QVBoxLayout(charts);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    auto* metricRow = new QHBoxLayout;
    metricRow->addWidget(new QLabel(tr("Metric:")));
    metricRow->addWidget(metricBox_, 1);
    chartLayout->addWidget(loss_, 1);
    chartLayout->addLayout(metricRow);
    chartLayout->addWidget(metric_, 1);

    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(charts);
    split->addWidget(params_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);
    connect(metricBox_, &QComboBox::currentIndexChanged, this, [this] { rebuild(); });
}

void RunComparisonView::setDatabase(std::shared_ptr<library::LibraryDatabase> db) {
    db_ = std::move(db);
    runs_.clear();
    rebuild();
}

void RunComparisonView::showRuns(const std::vector<library::RunId>& runs) {
    runs_ = runs;
    // The metric list is the union of what the runs recorded; keep the user's choice when still present.
    const QString chosen = metricBox_->currentText();
    std::set<QString> metrics;
    try {
        if (db_)
            for (library::RunId id : runs_)
                for (const auto& [name, pts] : loadRunCurves(*db_, id)) {
                    const QString n = QString::fromStdString(name);
                    if (n.startsWith(series::kValidationPrefix) && n != series::kValidationLoss)
                        metrics.insert(n.mid(int(std::strlen(series::kValidationPrefix))));
                }
    } catch (const std::exception& e) {
        emit errorOccurred(tr("Could not read the runs: %1").arg(QString::fromUtf8(e.what())));
    }
    {
        const QSignalBlocker block(metricBox_);
        metricBox_->clear();
        for (const QString& m : metrics) metricBox_->addItem(m);
        int keep = metricBox_->findText(chosen);
        if (keep < 0) keep = metricBox_->findText("accuracy");
        metricBox_->setCurrentIndex(std::max(0, keep));
    }
    rebuild();
}

void RunComparisonView::rebuild() {
    loss_->clear();
    metric_->clear();
    params_->clear();
    params_->setRowCount(0);
    params_->setColumnCount(0);
    if (!db_ || runs_.empty()) return;
    const QString metric = metricBox_->currentText();
    metric_->setTitle(metric.isEmpty() ? tr("Validation metric") : tr("Validation %1").arg(metric));
    metric_->setAxisTitles(tr("epoch"), metric);

    std::vector<std::map<QString, QString>> settings;
    QStringList names;
    for (std::size_t i = 0; i < runs_.size(); ++i) try {
        auto record = db_->run(runs_[i]);
        if (!record) continue;
        const QString name = QString::fromStdString(record->name);
        names << name;
        QColor colour = runColours()[int(i) % runColours().size()];
        QColor faint = colour.lighter(150);
        auto curves = loadRunCurves(*db_, runs_[i]);
        auto add = [&](LiveChart* chart, const QString& label, const std::string& key, const QColor& c) {
            auto it = curves.find(key);
            if (it == curves.end()) return;
            chart->setPoints(chart->addSeries(label, c), it->second);
        };
        add(loss_, name + tr(" · train"), series::kTrainLoss, faint);
        add(loss_, name + tr(" · validation"), series::kValidationLoss, colour);
        if (!metric.isEmpty()) add(metric_, name, std::string(series::kValidationPrefix) + metric.toStdString(), colour);

        std::map<QString, QString> flat;
        flatten(QJsonDocument::fromJson(QByteArray::fromStdString(record->settingsJson)).object(), {}, flat);
        flat.erase("name");
        flat.erase("run_dir");
        flat["status"] = QString::fromStdString(record->status);
        const QJsonObject m = QJsonDocument::fromJson(QByteArray::fromStdString(record->metricsJson)).object();
        for (auto it = m.begin(); it != m.end(); ++it)  // null: the metric is undefined for this run
            flat["metric: " + it.key()] = it->isDouble() ? QString::number(it->toDouble(), 'f', 4) : tr("n/a");
        settings.push_back(std::move(flat));
    } catch (const std::exception& e) {  // the runs that could be read still show
        emit errorOccurred(tr("Could not read run %1: %2").arg(runs_[i]).arg(QString::fromUtf8(e.what())));
    }
    loss_->refreshNow();
    metric_->refreshNow();

    std::set<QString> keys;
    for (const auto& s : settings)
        for (const auto& [k, v] : s) keys.insert(k);
    params_->setColumnCount(int(settings.size()));
    params_->setHorizontalHeaderLabels(names);
    params_->setRowCount(int(keys.size()));
    int row = 0;
    QStringList rowNames;
    for (const QString& key : keys) {
        rowNames << key;
        std::set<QString> values;
        for (std::size_t c = 0; c < settings.size(); ++c) {
            auto it = settings[c].find(key);
            const QString v = it == settings[c].end() ? QString() : it->second;
            values.insert(v);
            params_->setItem(row, int(c), new QTableWidgetItem(v));
        }
        if (values.size() > 1 && !key.startsWith("metric: ") && key != "status")
            for (int c = 0; c < params_->columnCount(); ++c) {
                params_->item(row, c)->setBackground(QColor(255, 236, 179));
                QFont f = params_->item(row, c)->font();
                f.setBold(true);
                params_->item(row, c)->setFont(f);
            }
        ++row;
    }
    params_->setVerticalHeaderLabels(rowNames);
}

QStringList RunComparisonView::differingParameters() const {
    QStringList out;
    for (int r = 0; r < params_->rowCount(); ++r)
        if (params_->columnCount() > 0 && params_->item(r, 0) && params_->item(r, 0)->font().bold())
            out << params_->verticalHeaderItem(r)->text();
    return out;
}

}  // namespace sonolab::ui
