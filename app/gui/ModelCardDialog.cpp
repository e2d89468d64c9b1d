// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/ModelCardDialog.h"

#include "engine/CurrentModel.h"
#include "infer/Classifier.h"

#include <QDialogButtonBox>
#include <QJsonDocument>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace {
QString prettyJson(const std::string& json)
{
    if (json.empty())
        return QObject::tr("(not recorded)");
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(json));
    return doc.isNull() ? QString::fromStdString(json) : QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
}
} // namespace

ModelCardDialog::ModelCardDialog(CurrentModel* model, QWidget* parent)
    : QDialog(parent), model_(model), view_(new QTextBrowser(this))
{
    setWindowTitle(tr("Model card"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(view_);
    layout->addWidget(buttons);
    resize(640, 560);
    connect(model_, &CurrentModel::changed, this, &ModelCardDialog::refresh);
    refresh();
}

QString ModelCardDialog::text() const
{
    return view_->toPlainText();
}

QString ModelCardDialog::describe(const CurrentModel& model)
{
    const auto classifier = model.classifier();
    if (!classifier)
        return tr("<p>No model is loaded. Use <b>File › Open model…</b>.</p>");
    const emoscope::ModelCard& card = classifier->card();
    QStringList labels;
    for (const std::string& l : card.labels)
        labels << QString::fromStdString(l).toHtmlEscaped();
    QString html;
    html += tr("<h3>%1</h3>").arg(model.path().toHtmlEscaped());
    html += tr("<p><b>Emotions:</b> %1</p>").arg(labels.join(QStringLiteral(", ")));
    if (!card.createdUtc.empty())
        html += tr("<p><b>Created:</b> %1</p>").arg(QString::fromStdString(card.createdUtc).toHtmlEscaped());
    html += tr("<h4>Summary</h4><pre>%1</pre>").arg(QString::fromStdString(card.summary()).toHtmlEscaped());
    html += tr("<h4>Training data and provenance</h4><pre>%1</pre>").arg(prettyJson(card.provenanceJson).toHtmlEscaped());
    html += tr("<h4>Metrics</h4><pre>%1</pre>").arg(prettyJson(card.metricsJson).toHtmlEscaped());
    return html;
}

void ModelCardDialog::refresh()
{
    view_->setHtml(describe(*model_));
}
