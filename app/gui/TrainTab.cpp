// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/TrainTab.h"

#include <QLabel>
#include <QVBoxLayout>

TrainTab::TrainTab(CurrentModel* model, QWidget* parent) : QWidget(parent), model_(model)
{
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Train: coming soon"), this), 0, Qt::AlignCenter);
}
